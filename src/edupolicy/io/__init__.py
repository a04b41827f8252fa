"""The JSON boundary: the one converter, the readers of plan, change and record files,
the reader and writer of workbooks, and the JSON Schemas.

Everything that turns outside data into the model, or the model into JSON, is here,
above the plan model and the domains whose types it reads.  Importing it names the
module of the writers of every result's JSON (``edupolicy.io.results``), which
``to_json()`` imports the first time it writes a value.  The JSON Schemas
(``edupolicy.io.schema``), the workbooks (``edupolicy.io.workbooks``) and change files
(``edupolicy.io.changefiles``) are imported when one of their names is first asked for:
reading a plan needs none of them.
"""

from typing import TYPE_CHECKING

from edupolicy._lazy import lazy_names
from edupolicy.io.convert import structure, unstructure
from edupolicy.io.observations import structure_observations
from edupolicy.io.planfiles import read_plan_file
from edupolicy.rules.writing import writers_in

if TYPE_CHECKING:
    from edupolicy.io import changefiles as changefiles
    from edupolicy.io import workbooks as workbooks
    from edupolicy.io.changefiles import ChangeFile, read_change_file, read_changes
    from edupolicy.io.results import around_id
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
        **{
            name: f"edupolicy.io.changefiles:{name}"
            for name in ("ChangeFile", "read_change_file", "read_changes")
        },
        "around_id": "edupolicy.io.results:around_id",
        # The modules themselves, for the readers of this package that read a workbook
        # or a change file.
        "changefiles": "edupolicy.io.changefiles",
        "workbooks": "edupolicy.io.workbooks",
    },
)

# The writers of every result's JSON, registered when a value is first written.
writers_in("edupolicy.io.results")
