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
plan slower than evaluating a district.  Its size is bounded (:data:`LIMIT` keys, or
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

from collections.abc import Hashable
from typing import Generic, TypeVar

__all__ = ["LIMIT", "DecisionTable"]

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

#: How many outcomes a table keeps, at most, unless it is given its own limit.  An
#: outcome that shares its items with the others (as a plain aid or incentive outcome
#: does) takes a few hundred bytes, so a full table takes a few megabytes.
LIMIT = 1 << 14


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
        self._limit = LIMIT if limit is None else limit
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
