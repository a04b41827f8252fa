"""What a what-if change does to a roster, as the what-if page shows it.

The roster is read by the readers of the command line (:mod:`edupolicy.io.records`);
the numbers are :meth:`edupolicy.Policy.budget` and :meth:`edupolicy.Policy.diff`, in
their JSON, before and after; the students whose aid changes are each record's
:func:`~edupolicy.analysis.impact.diff_entry`, the function the diff adds up.
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any, Final

from edupolicy.analysis.impact import NO_STATUS, StudentChange, categories, diff_entry
from edupolicy.errors import EdupolicyError
from edupolicy.i18n import format_money
from edupolicy.io.records import Entry, read_records
from edupolicy.policy import Policy
from edupolicy.web.charts import bars, stacked
from edupolicy.web.uploads import Upload
from edupolicy.web.words import Words, value_label

__all__ = ["CHANGE_FILE", "impact", "roster_of"]

#: The name of the change file the what-if page makes.
CHANGE_FILE: Final = "what-if.changes.toml"
#: How many students whose aid changes the page lists (the download has them all).
SHOWN: Final = 200


def roster_of(upload: Upload, locale: str) -> list[Entry]:
    """The records of an uploaded roster: CSV, an ``.xlsx`` workbook, JSON Lines or
    JSON, by its name, read by :func:`edupolicy.io.records.read_records`."""
    return list(read_records(io.BytesIO(upload.data), upload.name, locale=locale))


def _status_label(key: str, before: Policy, locale: str) -> str:
    if key == NO_STATUS:
        return Words(locale).none_status
    for plan in before.plans:
        for status in plan.household_statuses:
            if status.id == key:
                return status.label.render(locale)
    return value_label("household", key, locale)


def impact(
    before: Policy,
    after: Policy,
    entries: Sequence[Entry],
    on: _dt.date,
    *,
    changes: str | None,
    locale: str,
) -> dict[str, Any]:
    """Everything the what-if page shows of ``entries`` under ``before`` and ``after``."""
    t = Words(locale)
    readable = [entry for entry in entries if entry.error is None]
    unreadable = [
        {"position": e.position, "error": e.error.render(locale)}
        for e in entries
        if e.error is not None
    ]
    records: list[Any] = [entry.data for entry in readable]
    budget_before = before.budget(records, on, locale=locale).to_json(locale)
    budget_after = after.budget(records, on, locale=locale).to_json(locale)
    diff = before.diff(records, on, against=after, changes=CHANGE_FILE, locale=locale)
    summary = diff.to_json(locale)
    rejected = [
        {"position": readable[r.row].position, "error": r.error.render(locale)}
        for r in diff.rejected
    ]
    changed = _changed(before, after, readable, on, locale)
    stages = list(dict.fromkeys([*budget_before["by_stage"], *budget_after["by_stage"]]))
    by_stage = [
        _row(
            value_label("stage", key, locale),
            budget_before["by_stage"].get(key),
            budget_after["by_stage"].get(key),
            summary["by_stage"].get(key),
            locale,
        )
        for key in stages
    ]
    statuses = list(dict.fromkeys([*budget_before["by_household"], *budget_after["by_household"]]))
    by_household = [
        _row(
            _status_label(key, before, locale),
            budget_before["by_household"].get(key),
            budget_after["by_household"].get(key),
            summary["by_household"].get(key),
            locale,
        )
        for key in statuses
    ]
    money = {"before": t.before, "after": t.after}
    return {
        "budget_before": budget_before,
        "budget_after": budget_after,
        "diff": summary,
        "by_stage": by_stage,
        "by_household": by_household,
        "by_rule": _by_rule(budget_before, budget_after),
        "changed": changed[:SHOWN],
        "changed_count": len(changed),
        "changed_csv": _csv(changed),
        "rejected": unreadable + rejected,
        "change_file": changes,
        "cash_chart": bars(
            [
                (
                    row["label"],
                    [
                        (row["cash_before"], row["cash_before_text"]),
                        (row["cash_after"], row["cash_after_text"]),
                    ],
                )
                for row in by_stage
            ],
            [money["before"], money["after"]],
            title=t.cash,
        ),
        "stage_chart": stacked(
            [(row["label"], [row["gain"], row["lose"], row["same"]]) for row in by_stage],
            [t.gain, t.lose, t.same],
            title=t.by_stage,
        ),
        "household_chart": stacked(
            [(row["label"], [row["gain"], row["lose"], row["same"]]) for row in by_household],
            [t.gain, t.lose, t.same],
            title=t.by_household,
        ),
        "locale": locale,
    }


def _row(
    label: str,
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any] | None,
    counts: Mapping[str, int] | None,
    locale: str,
) -> dict[str, Any]:
    cash_before = Decimal(before["cash"]) if before else Decimal("0.00")
    cash_after = Decimal(after["cash"]) if after else Decimal("0.00")
    counts = counts or {"gain": 0, "lose": 0, "same": 0}
    return {
        "label": label,
        "students": (before or after or {"students": 0})["students"],
        "cash_before": cash_before,
        "cash_after": cash_after,
        "cash_before_text": format_money(cash_before, locale),
        "cash_after_text": format_money(cash_after, locale),
        "change": cash_after - cash_before,
        "gain": counts["gain"],
        "lose": counts["lose"],
        "same": counts["same"],
    }


def _by_rule(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[dict[str, Any]]:
    rows: dict[str, dict[str, Any]] = {}
    for side, budget in (("before", before), ("after", after)):
        for tally in budget["by_rule"]:
            row = rows.setdefault(tally["rule"], {"rule": tally["rule"], "name": tally["name"]})
            row[side] = tally
    return list(rows.values())


def _changed(
    before: Policy, after: Policy, entries: Sequence[Entry], on: _dt.date, locale: str
) -> list[dict[str, Any]]:
    found = []
    for entry in entries:
        try:
            was, now = diff_entry(before, after, entry.data, on, on, locale=locale)
        except EdupolicyError:
            continue  # listed with the records that could not be evaluated
        if was.cash_total != now.cash_total:
            stage, statuses = categories(was)
            found.append(
                {
                    "id": was.student_id,
                    "position": entry.position,
                    "stage": stage,
                    "household": statuses,
                    "before": was.cash_total,
                    "after": now.cash_total,
                    "change": StudentChange(
                        was.student_id, entry.position, was.cash_total, now.cash_total
                    ).change,
                }
            )
    return found


def _csv(rows: Sequence[Mapping[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["id", "position", "stage", "household", "before", "after", "change"])
    for row in rows:
        writer.writerow(
            [
                row["id"] or "",
                row["position"],
                row["stage"],
                ";".join(row["household"]),
                f"{row['before']:.2f}",
                f"{row['after']:.2f}",
                f"{row['change']:.2f}",
            ]
        )
    return out.getvalue()
