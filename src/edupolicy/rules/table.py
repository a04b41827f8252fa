"""Compiled evaluation: a schedule's outcomes tabled by the values its rules read.

The conditions of a plan's rules read a few fields of a subject, and those fields
take few values: every student of a district falls into one of about 10^4
combinations of stage, year, school area and household.  A :class:`DecisionTable`
holds the outcome of evaluating a schedule for each combination it has seen, so that
the condition trees are walked once per combination, not once per subject.  The
domain says what a combination is (its *key*: every field its conditions may read,
and nothing that they do not, such as a record's id) and how to compute an outcome
for one; the engine keeps the table.

The table is filled on first sight of a key rather than in advance: the space of
keys is finite but most of it never occurs, and filling it all would make loading a
plan slower than evaluating a district.  Its size is bounded (``_LIMIT`` keys, or
the limit it is given); past the bound, outcomes are computed and not kept, so a stream
of keys never seen before costs what plain evaluation costs, and the table's memory
stays what its bound allows.

An outcome is computed by the plain rule-by-rule evaluation
(:func:`~edupolicy.rules.evaluate`), so the table gives exactly its results, with
the same explanations; what it saves is the walking.  Computing an outcome may
raise (a rule conflict, a record the plan rejects): nothing is kept then, and the
next subject with that key raises the same error.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

__all__ = ["DecisionTable", "TabledEvaluator"]

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
S = TypeVar("S")
R = TypeVar("R")

#: How many outcomes a table keeps, at most, unless it is given its own limit.  An
#: outcome that shares its items with the others (as a plain aid or incentive outcome
#: does) takes a few hundred bytes, so a full table takes a few megabytes.
_LIMIT = 1 << 14


class DecisionTable(Generic[K, V]):
    """Outcomes by key, kept as they are computed, up to ``limit`` keys.

    The domain looks an outcome up (:meth:`get`) and, when the table has none,
    computes it by plain evaluation and hands it over (:meth:`keep`): computing is
    the domain's, because what may go wrong there (a record the plan rejects) is
    reported in the caller's language.  Safe to share between threads: two threads
    that meet a new key together may both compute its outcome, and one of the two
    equal outcomes is kept.
    """

    __slots__ = ("_limit", "_outcomes")

    def __init__(self, *, limit: int | None = None) -> None:
        self._limit = _LIMIT if limit is None else limit
        self._outcomes: dict[K, V] = {}

    def get(self, key: K) -> V | None:
        """The outcome kept for ``key``, or ``None``."""
        return self._outcomes.get(key)

    def keep(self, key: K, outcome: V) -> V:
        """Keep ``outcome`` for ``key`` unless the table is full; return it."""
        if len(self._outcomes) < self._limit:
            self._outcomes[key] = outcome
        return outcome

    def __len__(self) -> int:
        """How many outcomes the table holds."""
        return len(self._outcomes)


class TabledEvaluator(Generic[S, K, V, R]):
    """A schedule evaluated for one subject after another, its outcomes tabled by key.

    The domain supplies three functions.  ``key(subject)`` is everything the schedule's
    conditions read of the subject (``None`` in place of the function: nothing is
    tabled, as when a plugin's own condition may read anything).  ``evaluate(subject,
    locale)`` is the outcome by plain evaluation; it may raise (a record the plan
    rejects, a rule conflict), in ``locale``, and nothing is kept then.  ``build(subject,
    on, outcome)`` is the result: the subject's id and the outcome in the domain's
    :class:`~edupolicy.rules.Result`.

    Calling it looks the outcome up by key, else evaluates it and keeps it (up to
    ``limit`` keys, :class:`DecisionTable`), and builds the result.  Safe to share
    between threads, as its table is.
    """

    __slots__ = ("_build", "_evaluate", "_key", "_table")

    def __init__(
        self,
        *,
        key: Callable[[S], K] | None,
        evaluate: Callable[[S, str | None], V],
        build: Callable[[S, _dt.date, V], R],
        limit: int | None = None,
    ) -> None:
        self._key = key
        self._evaluate = evaluate
        self._build = build
        self._table: DecisionTable[K, V] = DecisionTable(limit=limit)

    def __call__(self, subject: S, on: _dt.date, locale: str | None = None) -> R:
        """The result of ``subject`` on ``on``; errors in ``locale``."""
        key_of = self._key
        if key_of is None:
            return self._build(subject, on, self._evaluate(subject, locale))
        key = key_of(subject)
        table = self._table
        outcome = table.get(key)
        if outcome is None:
            outcome = table.keep(key, self._evaluate(subject, locale))
        return self._build(subject, on, outcome)
