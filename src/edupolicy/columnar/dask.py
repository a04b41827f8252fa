"""Rosters as Dask data frames, on one machine or many: :func:`aid_dask`.

This module needs the ``dask`` extra (``pip install 'edupolicy[dask]'``).
"""

from __future__ import annotations

import datetime as _dt
import operator
import uuid
from decimal import Decimal
from typing import Any, cast

from edupolicy.columnar._core import refuse
from edupolicy.columnar.extras import MissingExtraError
from edupolicy.columnar.pandas import frame_meta, frame_result
from edupolicy.errors import FieldProblem
from edupolicy.i18n import _
from edupolicy.policy import Policy

try:
    import dask.dataframe as dd
    from dask.dataframe.extensions import make_scalar
    from dask.delayed import delayed
except ImportError as exc:
    raise MissingExtraError("edupolicy.columnar.dask", module="dask", extra="dask") from exc


def _decimal_scalar(value: Decimal) -> Decimal:
    """A ``Decimal`` of the same kind, where Dask needs an example of a reduction's result."""
    return Decimal(1)


# Dask stands in for the result of a reduction (``cash_total.sum()``) with an example
# made from its type, and has none for ``Decimal``, the values of a decimal column: it
# would put a bare ``object()`` there, which it then cannot hash into the name of the
# reduction's task.  Its documented registry of such examples takes one.
_examples: Any = make_scalar  # (untyped)
try:
    _examples.dispatch(Decimal)
except TypeError:
    _examples.register(Decimal, _decimal_scalar)


__all__ = ["aid_dask"]


def aid_dask(
    policy: Policy,
    frame: dd.DataFrame,
    on: _dt.date | str,
    *,
    locale: str | None = None,
) -> dd.DataFrame:
    """The aid of each student of a roster given as a Dask ``DataFrame``, lazily.

    Each partition is evaluated by :func:`~edupolicy.columnar.pandas.aid_frame`, where
    the scheduler runs it (a thread, a process, a worker of a cluster); the result has
    its columns, the roster's index and divisions, and ``row`` counts through the
    whole roster.  ``policy`` is one object of the task graph: a distributed
    scheduler sends it (pickled) once to each worker that needs it, not with every
    task.

    ``on`` and ``locale`` are checked at once, before anything is computed: an error
    there concerns every row, and is raised.  Nothing else is computed until the
    result is (``.compute()``, ``.to_parquet(...)``).
    """
    if not isinstance(frame, dd.DataFrame):
        raise refuse(FieldProblem("frame", frame, _("must be a Dask DataFrame")), locale)
    policy.plan_on(on, locale=locale)
    # One key of the graph holds the policy (named, so that it is not pickled to be
    # hashed); every task refers to that key.
    shipped = delayed(policy, name=f"edupolicy-policy-{uuid.uuid4().hex}")
    parts: list[Any] = []
    first: Any = 0
    for part in cast(Any, frame).to_delayed():
        parts.append(delayed(frame_result, pure=True)(shipped, part, on, locale, first))
        # The next partition's rows count on from this one's: its length, once computed.
        first = delayed(operator.add, pure=True)(first, delayed(len, pure=True)(part))
    # The meta says each column's Arrow type, so that Dask (its reductions, its
    # Parquet writer) need not guess it from objects.
    result: object = dd.from_delayed(
        parts, meta=frame_meta(frame._meta.index), divisions=frame.divisions, verify_meta=False
    )
    assert isinstance(result, dd.DataFrame)
    return result
