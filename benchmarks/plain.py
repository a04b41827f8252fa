"""The plain reference of the per-record and command-line benchmarks: the rules by hand.

A standalone script: it imports nothing of edupolicy.  The aid schedule comes as data
(``rules_data`` in ``reference.py`` writes it from the plan: each rule's condition as
nested lists, its cash in fen, what it waives, and the JSON of its item), and
:func:`aid_function` turns it into one plain Python function of a JSON-shaped student
record, as a programmer who knew the rules would write it, with no checks of the input,
no explanations and no plugin conditions.

Run as ``python plain.py RULES ROSTER``, it is the plain streaming script the command
line is measured against: each line of the JSON Lines roster ``json.loads``-ed, given
to the function, and its result ``json.dumps``-ed to standard output, a line each.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import Any

Record = Mapping[str, Any]
Test = Callable[[Record], bool]

__all__ = ["aid_function", "main"]


def _test(condition: Sequence[Any]) -> Test:
    """A plain predicate of a record for one condition of the rules data."""
    kind = condition[0]
    if kind in ("all", "any"):
        parts = [_test(part) for part in condition[1]]
        if kind == "all":
            return lambda r: all(part(r) for part in parts)
        return lambda r: any(part(r) for part in parts)
    if kind == "not":
        inner = _test(condition[1])
        return lambda r: not inner(r)
    if kind == "stage":
        stages = frozenset(condition[1])
        return lambda r: r["stage"] in stages
    if kind == "year":
        low, high = condition[1], condition[2]
        if high is None:
            return lambda r: r["year"] >= low
        return lambda r: low <= r["year"] <= high
    if kind == "area":
        area = condition[1]
        return lambda r: r["school_area"] == area
    if kind in ("boarding", "orphan", "disabled"):
        value = condition[1]
        return lambda r: r.get(kind, False) == value
    if kind == "household":
        statuses = frozenset(condition[1])
        return lambda r: not statuses.isdisjoint(r.get("household", ()))
    raise ValueError(f"no plain test for {kind}")


def aid_function(rules: Sequence[Mapping[str, Any]]) -> Callable[[Record], tuple[int, list[int]]]:
    """The rules as one function of a record: its cash in fen and the indexes of the rules
    that apply (a rule overridden by another that applies is dropped)."""
    tests = [_test(rule["when"]) for rule in rules]
    index = {rule["id"]: i for i, rule in enumerate(rules)}
    overridden_by = [
        [index[other["id"]] for other in rules if rule["id"] in other["overrides"]]
        for rule in rules
    ]
    fen = [rule["fen"] for rule in rules]
    count = range(len(rules))

    def aid(record: Record) -> tuple[int, list[int]]:
        hits = [test(record) for test in tests]
        applied = [i for i in count if hits[i] and not any(hits[j] for j in overridden_by[i])]
        return sum(fen[i] for i in applied), applied

    return aid


def main(argv: Sequence[str]) -> int:
    """Stream the roster ``argv[1]`` through the rules ``argv[0]`` to standard output."""
    with open(argv[0], encoding="utf-8") as file:
        data = json.load(file)
    rules = data["rules"]
    aid = aid_function(rules)
    head, readings = data["head"], data["readings"]
    notes = data["notes"]
    items = [rule["item"] for rule in rules]
    waives = [rule["waives"] for rule in rules]
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    write = sys.stdout.write
    with open(argv[1], encoding="utf-8") as roster:
        for line in roster:
            record = json.loads(line)
            fen, applied = aid(record)
            result = {
                **head,
                "id": record.get("id"),
                "currency": "CNY",
                "cash_total": f"{fen // 100}.{fen % 100:02d}",
                "waivers": sorted({fee for i in applied for fee in waives[i]}),
                "items": [items[i] for i in applied],
                "readings": readings,
                "notes": [
                    n["note"]
                    for n in notes
                    if n["status"] in record.get("household", ()) and record["stage"] in n["stages"]
                ],
            }
            write(dumps(result) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
