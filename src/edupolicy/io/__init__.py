"""The JSON boundary: the one converter, the readers of plan, change and record files,
the reader and writer of workbooks, and the JSON Schemas.

Everything that turns outside data into the model, or the model into JSON, is here,
above the plan model and the domains whose types it reads.  Importing it registers the
writer of every result's JSON (``edupolicy.io.results``), which ``to_json()`` uses.
The JSON Schemas (``edupolicy.io.schema``) and the workbooks (``edupolicy.io.workbooks``)
are imported when one of their names is first asked for: reading a plan needs neither.
"""

from typing import TYPE_CHECKING

from edupolicy._lazy import lazy_names
from edupolicy.io.changefiles import ChangeFile, read_change_file, read_changes
from edupolicy.io.convert import structure, unstructure
from edupolicy.io.observations import structure_observations
from edupolicy.io.planfiles import read_plan_file
from edupolicy.io.results import around_id

if TYPE_CHECKING:
    from edupolicy.io import workbooks as workbooks
    from edupolicy.io.schema import SCHEMA_NAMES, UnknownSchemaError, json_schema
    from edupolicy.io.workbooks import WorkbookError, WorkbookRow, read_workbook, write_workbook

__all__ = [
    "SCHEMA_NAMES",
    "ChangeFile",
    "UnknownSchemaError",
    "WorkbookError",
    "WorkbookRow",
    "around_id",
    "json_schema",
    "read_change_file",
    "read_changes",
    "read_plan_file",
    "read_workbook",
    "structure",
    "structure_observations",
    "unstructure",
    "write_workbook",
]

lazy_names(
    __name__,
    {
        **{
            name: f"edupolicy.io.schema:{name}"
            for name in ("SCHEMA_NAMES", "UnknownSchemaError", "json_schema")
        },
        **{
            name: f"edupolicy.io.workbooks:{name}"
            for name in ("WorkbookError", "WorkbookRow", "read_workbook", "write_workbook")
        },
        # The module itself, for the readers of this package that read a workbook.
        "workbooks": "edupolicy.io.workbooks",
    },
)
