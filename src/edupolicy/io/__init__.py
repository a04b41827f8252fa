"""The JSON boundary: the one converter, the readers of plan, change and record files,
the reader and writer of workbooks, and the JSON Schemas.

Everything that turns outside data into the model, or the model into JSON, is here,
above the plan model and the domains whose types it reads.  Importing it registers the
writer of every result's JSON (``edupolicy.io.results``), which ``to_json()`` uses.
The JSON Schemas (``edupolicy.io.schema``) are imported when first asked for: reading a
plan does not need them.
"""

from typing import TYPE_CHECKING

from edupolicy.io.changefiles import read_changes
from edupolicy.io.convert import structure, unstructure
from edupolicy.io.observations import structure_observations
from edupolicy.io.planfiles import read_plan_file
from edupolicy.io.results import around_id
from edupolicy.io.workbooks import WorkbookError, WorkbookRow, read_workbook, write_workbook

if TYPE_CHECKING:
    from edupolicy.io.schema import SCHEMA_NAMES, UnknownSchemaError, json_schema

__all__ = [
    "SCHEMA_NAMES",
    "UnknownSchemaError",
    "WorkbookError",
    "WorkbookRow",
    "around_id",
    "json_schema",
    "read_changes",
    "read_plan_file",
    "read_workbook",
    "structure",
    "structure_observations",
    "unstructure",
    "write_workbook",
]


#: The names this package takes from :mod:`edupolicy.io.schema`, imported on first use.
_FROM_SCHEMA = frozenset({"SCHEMA_NAMES", "UnknownSchemaError", "json_schema"})


def __getattr__(name: str) -> object:
    """The schema names, imported when first asked for: deferred for start-up time."""
    if name in _FROM_SCHEMA:
        from edupolicy.io import schema

        return getattr(schema, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
