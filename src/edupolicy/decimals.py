"""The decimal arithmetic of edupolicy: one context, whatever the caller's.

Python's :mod:`decimal` computes in the *current* context of the thread, which a
host (``localcontext(prec=6)``) or a plugin (``getcontext().prec = 3`` at import) may
have changed.  Every computation edupolicy makes with money, rates and shares runs in
:data:`CONTEXT` instead, through :func:`exact`, so that a result never depends on what
the caller did to its own context.
"""

from __future__ import annotations

import decimal
import functools
from collections.abc import Callable
from typing import Final, ParamSpec, TypeVar

__all__ = ["CONTEXT", "exact"]

#: Enough digits for any amount the boundary admits, and traps for every operation
#: that would otherwise give a wrong number silently.
CONTEXT: Final = decimal.Context(
    prec=40,
    rounding=decimal.ROUND_HALF_EVEN,
    Emin=-999_999,
    Emax=999_999,
    traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow],
)

P = ParamSpec("P")
R = TypeVar("R")


def exact(function: Callable[P, R]) -> Callable[P, R]:
    """Run ``function`` in :data:`CONTEXT`."""

    @functools.wraps(function)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        with decimal.localcontext(CONTEXT):
            return function(*args, **kwargs)

    return run
