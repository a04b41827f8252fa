"""The plain reference of the roster benchmarks: an aid schedule by hand in numpy.

A roster is held as numpy columns of small codes (stage, year, school area, the flags
and the household as a bit mask), and each rule's condition becomes a boolean mask
over them, written out leaf by leaf below; a ``one_wins`` group drops a rule where a
rule that overrides it applies too; the cash total is the sum of the amounts under
the masks.  This is what a programmer who knew the plan would write for one
district, with no explanations, no checks of the input and no plugin conditions: the
floor a general engine is measured against.  :func:`cash_totals` is checked against
edupolicy's own totals before anything is timed.

:func:`aid_columns` is the same rules over a roster as hosts hold it, and as
``edupolicy.columnar.aid_table`` takes it: an Arrow table whose stage and school area
are text, whose household is a list of text.  It codes the columns with Arrow's
compute functions, applies the masks, and answers what ``aid_table`` answers: each
student's cash total (in fen), and the rules that applied and the fees waived as
Arrow list columns.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from edupolicy.aid import (
    AidSchedule,
    BenefitKind,
    BoardingIs,
    DisabledIs,
    Household,
    HouseholdAny,
    OrphanIs,
    SchoolAreaIs,
    Stage,
    StageIn,
    YearIn,
)
from edupolicy.rules import All, Not
from edupolicy.rules import Any as AnyOf
from edupolicy.values import SchoolArea

__all__ = ["Answer", "Columns", "aid_columns", "cash_totals", "codes_of", "columns_of"]

STAGES: tuple[Stage, ...] = tuple(Stage)
AREAS: tuple[SchoolArea, ...] = tuple(SchoolArea)
STATUSES: tuple[Household, ...] = tuple(Household)

Mask = npt.NDArray[np.bool_]


@attrs.frozen
class Columns:
    """A roster as numpy columns of codes."""

    stage: npt.NDArray[np.int8]
    year: npt.NDArray[np.int32]
    area: npt.NDArray[np.int8]
    boarding: Mask
    orphan: Mask
    disabled: Mask
    #: Bit ``i`` set when the household has status ``STATUSES[i]``.
    household: npt.NDArray[np.int32]

    def __len__(self) -> int:
        return len(self.stage)

    def tiled(self, size: int) -> Columns:
        """``size`` rows: these rows repeated, and cut."""
        reps = -(-size // len(self))
        return Columns(
            **{
                field.name: np.tile(getattr(self, field.name), reps)[:size]
                for field in attrs.fields(Columns)
            }
        )


def columns_of(records: Sequence[Mapping[str, Any]]) -> Columns:
    """The columns of valid JSON-shaped student records."""
    bits = {status.value: 1 << i for i, status in enumerate(STATUSES)}
    return Columns(
        stage=np.array([STAGES.index(Stage(r["stage"])) for r in records], dtype=np.int8),
        year=np.array([r["year"] for r in records], dtype=np.int32),
        area=np.array([AREAS.index(SchoolArea(r["school_area"])) for r in records], dtype=np.int8),
        boarding=np.array([r.get("boarding", False) for r in records], dtype=np.bool_),
        orphan=np.array([r.get("orphan", False) for r in records], dtype=np.bool_),
        disabled=np.array([r.get("disabled", False) for r in records], dtype=np.bool_),
        household=np.array(
            [sum(bits[s] for s in r.get("household", ())) for r in records], dtype=np.int32
        ),
    )


def _mask(condition: object, roster: Columns) -> Mask:
    found: Mask = _leaf_mask(condition, roster)
    return found


def _leaf_mask(condition: object, roster: Columns) -> Any:
    if isinstance(condition, All):
        mask = np.ones(len(roster), dtype=np.bool_)
        for part in condition.conditions:
            mask &= _mask(part, roster)
        return mask
    if isinstance(condition, AnyOf):
        mask = np.zeros(len(roster), dtype=np.bool_)
        for part in condition.conditions:
            mask |= _mask(part, roster)
        return mask
    if isinstance(condition, Not):
        return ~_mask(condition.condition, roster)
    if isinstance(condition, StageIn):
        # A table of the stages held, looked up by each row's stage.
        held = np.array([stage in condition.stages for stage in STAGES], dtype=np.bool_)
        return held[roster.stage]
    if isinstance(condition, YearIn):
        mask = roster.year >= condition.min
        return mask if condition.max is None else mask & (roster.year <= condition.max)
    if isinstance(condition, SchoolAreaIs):
        return roster.area == AREAS.index(condition.area)
    if isinstance(condition, BoardingIs):
        return roster.boarding == condition.value
    if isinstance(condition, OrphanIs):
        return roster.orphan == condition.value
    if isinstance(condition, DisabledIs):
        return roster.disabled == condition.value
    if isinstance(condition, HouseholdAny):
        wanted = sum(1 << STATUSES.index(s) for s in condition.statuses if isinstance(s, Household))
        return (roster.household & wanted) != 0
    raise TypeError(f"the reference has no mask for {type(condition).__name__}")


def cash_totals(schedule: AidSchedule, roster: Columns) -> npt.NDArray[np.int64]:
    """Each student's cash total, in fen (hundredths of a yuan)."""
    masks = {rule.id: _mask(rule.when, roster) for rule in schedule.rules}
    total = np.zeros(len(roster), dtype=np.int64)
    for rule in schedule.rules:
        benefit = rule.benefit
        if benefit.kind is not BenefitKind.CASH or benefit.amount is None:
            continue
        mask = masks[rule.id]
        if rule.group in schedule.one_wins:
            for other in schedule.rules:
                if other.group == rule.group and rule.id in other.overrides:
                    mask = mask & ~masks[other.id]
        total += mask * int(benefit.amount * Decimal(100))
    return total


def codes_of(table: pa.Table) -> Columns:
    """The columns of codes of a roster held as an Arrow table of valid records, every
    field given: text looked up among the words, each household list as bits."""

    def words(column: Any, values: Sequence[str]) -> Any:
        return pc.index_in(column, value_set=pa.array(values)).to_numpy()

    household = table.column("household").combine_chunks()
    parents = pc.list_parent_indices(household).to_numpy()
    statuses = words(pc.list_flatten(household), [s.value for s in STATUSES])
    bits = np.zeros(len(table), dtype=np.int32)
    np.bitwise_or.at(bits, parents, np.left_shift(1, statuses, dtype=np.int32))
    return Columns(
        stage=words(table.column("stage"), [s.value for s in STAGES]).astype(np.int8),
        year=table.column("year").to_numpy().astype(np.int32),
        area=words(table.column("school_area"), [a.value for a in AREAS]).astype(np.int8),
        boarding=table.column("boarding").to_numpy(),
        orphan=table.column("orphan").to_numpy(),
        disabled=table.column("disabled").to_numpy(),
        household=bits,
    )


@attrs.frozen
class Answer:
    """What :func:`aid_columns` answers, one row per student."""

    #: The cash total, in fen.
    fen: npt.NDArray[np.int64]
    #: The ids of the rules that applied, in the plan's order.
    rules: Any
    #: The fees waived, sorted.
    waivers: Any


def _lists(matrix: Mask, names: Sequence[str]) -> Any:
    """Row by row, the names of the columns of ``matrix`` that are true."""
    which = np.nonzero(matrix)[1]
    offsets = np.zeros(len(matrix) + 1, dtype=np.int32)
    np.cumsum(matrix.sum(axis=1, dtype=np.int32), out=offsets[1:])
    lists: Any = pa.ListArray
    return lists.from_arrays(pa.array(offsets), pa.array(names).take(which))


def aid_columns(schedule: AidSchedule, table: pa.Table) -> Answer:
    """The aid of each student of ``table`` (Arrow columns of valid records)."""
    roster = codes_of(table)
    held = {rule.id: _mask(rule.when, roster) for rule in schedule.rules}
    masks = dict(held)
    for rule in schedule.rules:
        if rule.group in schedule.one_wins:
            for other in schedule.rules:
                if other.group == rule.group and rule.id in other.overrides:
                    masks[rule.id] = masks[rule.id] & ~held[other.id]
    total = np.zeros(len(roster), dtype=np.int64)
    for rule in schedule.rules:
        benefit = rule.benefit
        if benefit.kind is BenefitKind.CASH and benefit.amount is not None:
            total += masks[rule.id] * int(benefit.amount * Decimal(100))
    fees = sorted({fee for rule in schedule.rules for fee in rule.benefit.waives})
    waived = np.zeros((len(roster), len(fees)), dtype=np.bool_)
    for rule in schedule.rules:
        for fee in rule.benefit.waives:
            waived[:, fees.index(fee)] |= masks[rule.id]
    applied = np.stack([masks[rule.id] for rule in schedule.rules], axis=1)
    return Answer(
        fen=total,
        rules=_lists(applied, [rule.id for rule in schedule.rules]),
        waivers=_lists(waived, fees),
    )
