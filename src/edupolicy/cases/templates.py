"""A case table to start from: the columns of a student case table and example rows.

The template of a region holds one example student per stage, with what the plan in
force on a date gives each (cash, waivers, the rules that apply), so that the table
passes as written; its author changes the rows and adds more.  It is written as CSV
(``edupolicy case-template``) or as an ``.xlsx`` workbook (the same command, and the
workbench's download), through the one writer of each format.
"""

from __future__ import annotations

import csv
import datetime as _dt
from collections.abc import Sequence
from pathlib import Path
from typing import IO

import attrs

from edupolicy import load
from edupolicy.aid import Household, Stage
from edupolicy.cases.csvfiles import CSV_COLUMNS
from edupolicy.errors import EdupolicyError
from edupolicy.i18n import _
from edupolicy.io.workbooks import WORKBOOK_SUFFIXES, write_workbook
from edupolicy.values import SchoolArea

__all__ = ["CaseTemplate", "case_template", "write_case_template"]


@attrs.frozen
class CaseTemplate:
    """A case table's header and its rows, every cell text."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


def case_template(
    region: str, *, on: _dt.date | None = None, locale: str | None = None
) -> CaseTemplate:
    """The template of a student case table of ``region`` on ``on``.

    ``on`` defaults to the first day of the region's latest plan.  Each row is a rural
    student of a dibao household in the first year of a stage, and expects what the
    plan gives them; a stage the plan does not cover is left out.
    """
    policy = load(region, locale=locale)
    day = on if on is not None else policy.plans_as_written[-1].in_force.start
    policy.plan_on(day, locale=locale)  # a date outside every plan is an error
    header = tuple(CSV_COLUMNS)
    rows: list[tuple[str, ...]] = []
    for stage in Stage:
        record = {
            "stage": stage.value,
            "year": 1,
            "school_area": SchoolArea.RURAL.value,
            "household": [Household.DIBAO.value],
        }
        try:
            result = policy.aid(record, day, locale=locale)
        except EdupolicyError:
            continue  # a stage this plan does not cover
        name = _("example: {stage}, year 1, rural, dibao household", stage=stage.label).render(
            locale
        )
        cells = {
            "name": name,
            "region": region,
            "on": day.isoformat(),
            "stage": stage.value,
            "year": "1",
            "school_area": SchoolArea.RURAL.value,
            "household": Household.DIBAO.value,
            "cash_total": f"{result.cash_total:.2f}",
            "waivers": ";".join(result.waivers) or "-",
            "applies": ";".join(item.rule.id for item in result.items) or "-",
        }
        rows.append(tuple(cells.get(column, "") for column in header))
    return CaseTemplate(header, tuple(rows))


def write_case_template(target: str | Path | IO[bytes], template: CaseTemplate) -> None:
    """Write ``template`` to ``target``: a workbook when its name ends in ``.xlsx``
    (a binary stream is always a workbook), else CSV in UTF-8 with a byte-order mark,
    which spreadsheets open as UTF-8."""
    if not isinstance(target, str | Path) or str(target).endswith(WORKBOOK_SUFFIXES):
        write_workbook(target, template.header, template.rows, sheet="cases")
        return
    with open(target, "w", encoding="utf-8-sig", newline="") as stream:
        _write_csv(stream, template.header, template.rows)


def _write_csv(stream: IO[str], header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
