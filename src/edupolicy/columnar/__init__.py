"""Rosters as columns: Arrow tables, pandas and Dask data frames, record batches.

A roster of students given as columns (one per field of a student record) is
evaluated as a whole, and the result is columns too: one row per student, in the
roster's order, with the cash total, the waivers and the ids of the rules that applied
(:data:`~edupolicy.columnar.arrow.AID_SCHEMA`).  A student that cannot be evaluated
keeps its row, with the error and each bad field; nothing is dropped.  Each row gets
exactly what :meth:`Policy.aid <edupolicy.Policy.aid>` gives its record, but the rows
are not evaluated one by one: each distinct combination of the fields the rules read
is evaluated once, and its outcome is given to every row that has it.

- :func:`~edupolicy.columnar.arrow.aid_table` evaluates a ``pyarrow.Table`` (or a
  ``RecordBatch``);
- :func:`~edupolicy.columnar.arrow.aid_record_batch` and
  :func:`~edupolicy.columnar.arrow.aid_record_batches` are the same as functions
  of batches, for engines that call one (Spark's ``mapInArrow``, Ray Data);
- :func:`edupolicy.columnar.pandas.aid_frame` evaluates a pandas ``DataFrame``;
- :func:`edupolicy.columnar.dask.aid_dask` a Dask ``DataFrame``, partition by
  partition, on as many machines as its cluster has.

This package needs the ``arrow`` extra (``pip install 'edupolicy[arrow]'``): pyarrow
and numpy.  Its module :mod:`~edupolicy.columnar.pandas` needs the ``pandas`` extra,
and :mod:`~edupolicy.columnar.dask` the ``dask`` extra.  Without them, importing the
module raises :class:`~edupolicy.columnar.extras.MissingExtraError`, which names the
extra to install.
"""

from __future__ import annotations

from edupolicy.columnar.extras import MissingExtraError

try:
    import numpy  # noqa: F401  (only to say clearly what is missing)
    import pyarrow  # noqa: F401
except ImportError as exc:
    raise MissingExtraError(
        "edupolicy.columnar", module=exc.name or "pyarrow", extra="arrow"
    ) from exc

from edupolicy.columnar.arrow import (
    AID_SCHEMA,
    AID_SCHEMA_DDL,
    PROBLEM_TYPE,
    aid_record_batch,
    aid_record_batches,
    aid_table,
)

__all__ = [
    "AID_SCHEMA",
    "AID_SCHEMA_DDL",
    "PROBLEM_TYPE",
    "MissingExtraError",
    "aid_record_batch",
    "aid_record_batches",
    "aid_table",
]
