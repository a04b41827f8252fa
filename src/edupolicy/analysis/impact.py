"""What a plan gives a whole roster: its budget, and the difference a change makes.

A :class:`BudgetTally` adds up, record by record, the cash and the fee waivers of a
roster, in all, by rule, by stage and by household status.  A :class:`DiffTally`
compares each student's yearly cash under two policies (or two dates) and counts who
gains, who loses and who is unchanged, keeping only the largest changes.  Both keep
running totals, so a roster of any length is added up in flat memory; both give the
JSON that :meth:`edupolicy.Policy.budget`, :meth:`edupolicy.Policy.diff`, the command
line and the HTTP service answer with.
"""

from __future__ import annotations

import datetime as _dt
import heapq
import operator
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any, Protocol

import attrs

from edupolicy.aid import AidResult, BenefitKind, Household, Stage, Student
from edupolicy.aid.records import student_from_key
from edupolicy.decimals import CONTEXT
from edupolicy.errors import Rejected
from edupolicy.i18n import Text
from edupolicy.io import structure
from edupolicy.io.schematypes import Schema, document
from edupolicy.io.views import (
    COUNT,
    MONEY,
    READINGS,
    STRING,
    TEXT,
    Kind,
    ListOf,
    Member,
    Nullable,
    Of,
    View,
    Words,
    member,
)

__all__ = [
    "NO_STATUS",
    "TOP",
    "AidPolicy",
    "Budget",
    "BudgetTally",
    "Counts",
    "Diff",
    "DiffTally",
    "Side",
    "StudentChange",
    "Tally",
    "budget_entry",
    "categories",
    "diff_entry",
    "stage_order",
    "status_order",
]

#: How many of the largest changes a diff reports.
TOP = 10
#: The key of the students whose household has no status.
NO_STATUS = "none"
_ZERO = Decimal("0.00")
_CORE_STATUSES = [member.value for member in Household]
_STAGES = list(Stage)


def categories(result: AidResult) -> tuple[str, list[str]]:
    """The stage and the household statuses (or ``none``) the student of ``result`` is
    counted under, as the outcome's key records them."""
    stage, _year, _area, _boarding, household, _orphan, _disabled = result.outcome.key
    statuses = sorted(status.value for status in household) or [NO_STATUS]
    return stage.value, statuses


def stage_order(key: str) -> int:
    """Stages in the order of schooling."""
    return _STAGES.index(Stage(key))


def status_order(key: str) -> tuple[int, str]:
    """The core's statuses in their order, then those plans declare by id, then none."""
    if key == NO_STATUS:
        return (len(_CORE_STATUSES) + 1, "")
    if key in _CORE_STATUSES:
        return (_CORE_STATUSES.index(key), "")
    return (len(_CORE_STATUSES), key)


def _add(left: Decimal, right: Decimal) -> Decimal:
    return CONTEXT.add(left, right)


@attrs.frozen(kw_only=True)
class Side:
    """One side of a comparison: the policy, the date and the plan in force on it."""

    region: str
    version: str
    on: str
    plan: str
    readings: Mapping[str, str]


# --- diff ---------------------------------------------------------------------------------


@attrs.define
class Counts:
    """How many students gain, lose and keep the same cash."""

    gain: int = 0
    lose: int = 0
    same: int = 0

    def add(self, change: Decimal) -> None:
        """Count one student whose cash changes by ``change``."""
        if change > 0:
            self.gain += 1
        elif change < 0:
            self.lose += 1
        else:
            self.same += 1


@attrs.frozen
class StudentChange:
    """One student's yearly cash before and after."""

    id: str | None
    #: Where the record is in its roster, when it has no id (``line 3``, ``[2]``).
    position: str
    before: Decimal
    after: Decimal

    @property
    def change(self) -> Decimal:
        """``after - before``."""
        return CONTEXT.subtract(self.after, self.before)


@attrs.define
class DiffTally:
    """The running totals of a diff, and the :data:`TOP` largest changes so far."""

    students: int = 0
    overall: Counts = attrs.Factory(Counts)
    by_stage: dict[str, Counts] = attrs.Factory(dict)
    by_household: dict[str, Counts] = attrs.Factory(dict)
    cash_before: Decimal = _ZERO
    cash_after: Decimal = _ZERO
    #: Records that could not be evaluated.
    skipped: int = 0
    #: The largest changes, a heap of (size, -order, change), at most :data:`TOP` long.
    _top: list[tuple[Decimal, int, StudentChange]] = attrs.Factory(list)

    def add(self, position: str, before: AidResult, after: AidResult) -> None:
        """Count the student of ``before`` (at ``position`` in its roster), given its
        results before and after."""
        self.students += 1
        record = StudentChange(before.student_id, position, before.cash_total, after.cash_total)
        change = record.change
        self.overall.add(change)
        stage, statuses = categories(before)
        self.by_stage.setdefault(stage, Counts()).add(change)
        for status in statuses:
            self.by_household.setdefault(status, Counts()).add(change)
        self.cash_before = _add(self.cash_before, before.cash_total)
        self.cash_after = _add(self.cash_after, after.cash_total)
        if change:
            # Of equal changes, the earlier record ranks higher.
            item = (abs(change), -self.students, record)
            if len(self._top) < TOP:
                heapq.heappush(self._top, item)
            elif item[:2] > self._top[0][:2]:
                heapq.heapreplace(self._top, item)

    @property
    def change(self) -> Decimal:
        """The change in the roster's yearly cash."""
        return CONTEXT.subtract(self.cash_after, self.cash_before)

    def top(self) -> list[StudentChange]:
        """The largest changes, largest first."""
        return [record for *_key, record in sorted(self._top, key=lambda i: i[:2], reverse=True)]


# --- budget -------------------------------------------------------------------------------


@attrs.define
class Tally:
    """How many students, how much cash a year, how many fee waivers."""

    students: int = 0
    cash: Decimal = _ZERO
    waivers: int = 0

    def add(self, cash: Decimal, waivers: int) -> None:
        """Count one student with ``cash`` a year and ``waivers`` fee waivers."""
        self.students += 1
        self.cash = _add(self.cash, cash)
        self.waivers += waivers


@attrs.define
class BudgetTally:
    """The running totals of a budget: in all, by rule, by stage, by household status."""

    overall: Tally = attrs.Factory(Tally)
    by_rule: dict[str, Tally] = attrs.Factory(dict)
    #: The name of each rule counted, by id.
    names: dict[str, Text] = attrs.Factory(dict)
    by_stage: dict[str, Tally] = attrs.Factory(dict)
    by_household: dict[str, Tally] = attrs.Factory(dict)
    #: Records that could not be evaluated.
    skipped: int = 0

    def add(self, result: AidResult) -> None:
        """Count the student who receives ``result``."""
        waivers = len(result.waivers)
        self.overall.add(result.cash_total, waivers)
        stage, statuses = categories(result)
        self.by_stage.setdefault(stage, Tally()).add(result.cash_total, waivers)
        for status in statuses:
            self.by_household.setdefault(status, Tally()).add(result.cash_total, waivers)
        for item in result.items:
            cash = (
                item.amount if item.kind is BenefitKind.CASH and item.amount is not None else _ZERO
            )
            self.by_rule.setdefault(item.rule.id, Tally()).add(cash, len(item.waives))
            self.names.setdefault(item.rule.id, item.rule.name)

    def rules(self, order: Sequence[str]) -> list[str]:
        """The ids of the rules counted, in ``order`` (the plan's), then any others."""
        position = {rule_id: index for index, rule_id in enumerate(order)}
        return sorted(self.by_rule, key=lambda rule_id: position.get(rule_id, len(position)))

    def stages(self) -> list[str]:
        """The stages counted, in the order of schooling."""
        return sorted(self.by_stage, key=stage_order)

    def statuses(self) -> list[str]:
        """The household statuses counted, the core's first, ``none`` last."""
        return sorted(self.by_household, key=status_order)


# --- one record, and the results -----------------------------------------------------------


class AidPolicy(Protocol):
    """What a diff or a budget asks of a policy: the aid of one student on a date."""

    def aid(
        self,
        student: Student | Mapping[str, Any],
        on: _dt.date | str,
        *,
        explain: bool = False,
        locale: str | None = None,
    ) -> AidResult: ...


def budget_entry(
    policy: AidPolicy, record: object, on: _dt.date, *, locale: str | None = None
) -> AidResult:
    """One record of a budget: the aid ``policy`` gives it on ``on``, read once.

    A record ``policy`` cannot evaluate raises its error (an
    :class:`~edupolicy.errors.EdupolicyError`), every bad field named.
    """
    return policy.aid(_record(record, locale), on, locale=locale)


def diff_entry(
    before: AidPolicy,
    after: AidPolicy,
    record: object,
    on: _dt.date,
    against: _dt.date,
    *,
    locale: str | None = None,
) -> tuple[AidResult, AidResult]:
    """One record of a diff: its aid from ``before`` on ``on`` and from ``after`` on
    ``against``.  The record is read once, by ``before``; ``after`` evaluates the
    student ``before`` read."""
    was = before.aid(_record(record, locale), on, locale=locale)
    student = student_from_key(was.outcome.key, was.student_id)
    return was, after.aid(student, against, locale=locale)


def _record(record: object, locale: str | None) -> Student | Mapping[str, Any]:
    """``record`` as :meth:`AidPolicy.aid` takes it: anything else is refused as a
    record must be, by the strict reader."""
    if isinstance(record, (Student, Mapping)):
        return record
    return structure(record, Student, locale=locale)


@attrs.frozen(kw_only=True, eq=False)
class Budget:
    """What a roster receives under the plan in force on a date
    (:meth:`edupolicy.Policy.budget`)."""

    #: The policy, the date and the plan in force.
    side: Side
    #: The plan's aid rules, by id, in the plan's order.
    order: tuple[str, ...]
    tally: BudgetTally
    #: The records that could not be evaluated, and why.
    rejected: tuple[Rejected, ...] = ()

    @property
    def students(self) -> int:
        """How many students were counted."""
        return self.tally.overall.students

    @property
    def cash_total(self) -> Decimal:
        """The roster's cash a year, in yuan."""
        return self.tally.overall.cash

    def to_json(self, locale: str | None = None) -> dict[str, Any]:
        """The budget as JSON (``BUDGET``): in all, ``by_rule``, ``by_stage`` and
        ``by_household``, the rules' names in ``locale``."""
        return BUDGET.write(self, locale)


@attrs.frozen(kw_only=True, eq=False)
class Diff:
    """What a change does to a roster's aid (:meth:`edupolicy.Policy.diff`)."""

    before: Side
    after: Side
    tally: DiffTally
    #: The name of the change file applied, if any: it is echoed as ``changes``.
    changes: str | None = None
    #: The records that could not be evaluated, and why.
    rejected: tuple[Rejected, ...] = ()

    def to_json(self, locale: str | None = None) -> dict[str, Any]:
        """The diff as JSON (``DIFF``): who gains and loses, in all, by stage and by
        household, the cash before and after, and the largest changes.  Nothing in it is
        localised; ``locale`` is taken for the sake of a uniform spelling."""
        return DIFF.write(self, locale)


# --- their JSON, and its schema, declared once ---------------------------------------------


class _ByKey:
    """Pairs (key, value) written as an object, each value as ``kind``: the keys are
    open (a plan may declare household statuses of its own)."""

    __slots__ = ("_kind", "_what")

    def __init__(self, kind: Kind, what: str) -> None:
        self._kind = kind
        self._what = what

    def write(self, value: Any, locale: str | None) -> Any:
        return {key: self._kind.write(item, locale) for key, item in value}

    def schema(self, defs: dict[str, Schema]) -> Schema:
        return {
            "type": "object",
            "description": self._what,
            "additionalProperties": self._kind.schema(defs),
        }


_CNY: Kind = Words(("CNY",))

SIDE = View(
    "side",
    (
        member("region", STRING),
        member("version", STRING),
        member("on", STRING),
        member("plan", STRING),
        member("readings", READINGS),
    ),
    "One side of a comparison: the region, its plugin's version, the date, the plan in "
    "force and its readings.",
)
TALLY = View(
    "tally",
    (member("students", COUNT), member("cash", MONEY), member("waivers", COUNT)),
    "How many students, their cash a year, how many fee waivers.",
)
COUNTS = View(
    "counts",
    (member("gain", COUNT), member("lose", COUNT), member("same", COUNT)),
    "How many students gain, lose and keep the same cash.",
)


def _on_tally(get: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """A getter of a tally's member, for a row (rule id, name, tally)."""
    return lambda row: get(row[2])


RULE_TALLY = View(
    "rule-tally",
    (
        Member("rule", STRING, operator.itemgetter(0)),
        Member("name", TEXT, operator.itemgetter(1)),
        *(Member(m.key, m.kind, _on_tally(m.get)) for m in TALLY.members),
    ),
    "What one rule gives the roster: its id and name, the students, cash and waivers.",
)
CHANGE = View(
    "student-change",
    (
        member("id", Nullable(STRING)),
        member("position", STRING),
        member("before", MONEY),
        member("after", MONEY),
        member("change", MONEY),
    ),
    "One student's yearly cash before and after; the record's place in its roster.",
)


def _rules(budget: Budget) -> list[tuple[str, Text, Tally]]:
    tally = budget.tally
    return [(rule, tally.names[rule], tally.by_rule[rule]) for rule in tally.rules(budget.order)]


def _pairs(found: dict[str, Any], order: list[str]) -> list[tuple[str, Any]]:
    return [(key, found[key]) for key in order]


#: A budget's JSON (:meth:`Budget.to_json`), and its schema.
BUDGET = View(
    "budget",
    (
        member("region", STRING, "side.region"),
        member("plan", STRING, "side.plan"),
        member("on", STRING, "side.on"),
        member("readings", READINGS, "side.readings"),
        Member("currency", _CNY, lambda _budget: "CNY"),
        member("students", COUNT, "tally.overall.students"),
        member("skipped", COUNT, "tally.skipped"),
        member("cash_total", MONEY, "tally.overall.cash"),
        member("waivers", COUNT, "tally.overall.waivers"),
        Member("by_rule", ListOf(Of(RULE_TALLY)), _rules),
        Member(
            "by_stage",
            _ByKey(Of(TALLY), "by stage, in the order of schooling"),
            lambda b: _pairs(b.tally.by_stage, b.tally.stages()),
        ),
        Member(
            "by_household",
            _ByKey(Of(TALLY), "by household status; none: no status"),
            lambda b: _pairs(b.tally.by_household, b.tally.statuses()),
        ),
    ),
    "What a roster receives under the plan in force on a date (Budget.to_json): the "
    "students counted and skipped, the cash a year and the fee waivers, in all, by rule "
    "(in the plan's order), by stage and by household status.",
)


#: A diff's JSON (:meth:`Diff.to_json`), and its schema.
DIFF = View(
    "diff",
    (
        member("region", STRING, "before.region"),
        Member("currency", _CNY, lambda _diff: "CNY"),
        member("changes", Nullable(STRING)),
        member("before", Of(SIDE)),
        member("after", Of(SIDE)),
        member("students", COUNT, "tally.students"),
        member("skipped", COUNT, "tally.skipped"),
        member("gain", COUNT, "tally.overall.gain"),
        member("lose", COUNT, "tally.overall.lose"),
        member("same", COUNT, "tally.overall.same"),
        Member(
            "by_stage",
            _ByKey(Of(COUNTS), "by stage, in the order of schooling"),
            lambda d: _pairs(d.tally.by_stage, sorted(d.tally.by_stage, key=stage_order)),
        ),
        Member(
            "by_household",
            _ByKey(Of(COUNTS), "by household status; none: no status"),
            lambda d: _pairs(d.tally.by_household, sorted(d.tally.by_household, key=status_order)),
        ),
        member("cash_before", MONEY, "tally.cash_before"),
        member("cash_after", MONEY, "tally.cash_after"),
        member("cash_change", MONEY, "tally.change"),
        Member("largest_changes", ListOf(Of(CHANGE)), lambda d: d.tally.top()),
    ),
    "What a change does to a roster (Diff.to_json): how many students gain, lose or keep "
    "the same yearly cash, in all, by stage and by household status; the cash before and "
    "after; the largest changes.",
)


def schema_of(view: View, title: str) -> Schema:
    """The JSON Schema of ``view``'s JSON, as a document of its own."""
    defs: dict[str, Schema] = {}
    body = view.body(defs)
    return document(title, str(body.pop("description", "")), body, defs)
