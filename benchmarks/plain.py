"""The plain reference of the per-record and command-line benchmarks: the rules by hand.

A standalone script: it imports nothing of edupolicy.  The aid schedule comes as data
(``rules_data`` in ``reference.py`` writes it from the plan: each rule's condition as
nested lists, its cash in fen, what it waives, and the JSON of its item), and
:func:`aid_function` writes it out as one plain Python function of a JSON-shaped
student record, rule by rule, as a programmer who knew the rules would write it by
hand: no checks of the input, no explanations, no plugin conditions.

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

__all__ = ["aid_function", "aid_source", "main", "result_line"]


def _expression(condition: Sequence[Any]) -> str:
    """A condition of the rules data as a Python expression over the record ``r``."""
    kind = condition[0]
    if kind in ("all", "any"):
        joined = f" {'and' if kind == 'all' else 'or'} ".join(
            f"({_expression(part)})" for part in condition[1]
        )
        return joined or ("True" if kind == "all" else "False")
    if kind == "not":
        return f"not ({_expression(condition[1])})"
    if kind == "stage":
        return f"r['stage'] in {set(condition[1])!r}"
    if kind == "year":
        low, high = condition[1], condition[2]
        return f"r['year'] >= {low}" if high is None else f"{low} <= r['year'] <= {high}"
    if kind == "area":
        return f"r['school_area'] == {condition[1]!r}"
    if kind in ("boarding", "orphan", "disabled"):
        return f"r.get({kind!r}, False) is {condition[1]!r}"
    if kind == "household":
        return f"not {set(condition[1])!r}.isdisjoint(r.get('household', ()))"
    raise ValueError(f"no plain test for {kind}")


def aid_source(rules: Sequence[Mapping[str, Any]]) -> str:
    """The rules as the source of one plain function, ``aid(r)``: a record's cash in fen
    and the indexes of the rules that apply, a rule dropped when another that overrides
    it applies too.  What a programmer who knew the rules would write, rule by rule."""
    index = {rule["id"]: i for i, rule in enumerate(rules)}
    lines = ["def aid(r):"]
    for i, rule in enumerate(rules):
        lines.append(f"    h{i} = {_expression(rule['when'])}")
    lines.append("    applied = []")
    lines.append("    fen = 0")
    for i, rule in enumerate(rules):
        winners = [index[o["id"]] for o in rules if rule["id"] in o["overrides"]]
        test = " and ".join([f"h{i}", *(f"not h{j}" for j in winners)])
        lines.append(f"    if {test}:")
        lines.append(f"        applied.append({i})")
        if rule["fen"]:
            lines.append(f"        fen += {rule['fen']}")
    lines.append("    return fen, applied")
    return "\n".join(lines) + "\n"


def aid_function(rules: Sequence[Mapping[str, Any]]) -> Callable[[Record], tuple[int, list[int]]]:
    """The function :func:`aid_source` writes."""
    scope: dict[str, Any] = {}
    exec(aid_source(rules), scope)
    found: Callable[[Record], tuple[int, list[int]]] = scope["aid"]
    return found


def result_line(data: Mapping[str, Any]) -> Callable[[Record, int, list[int]], str]:
    """What writes one student's result as a line of JSON, as ``edupolicy aid --format
    jsonl`` writes it: the record, its cash in fen and the indexes of the rules applied in."""
    rules = data["rules"]
    head, readings = data["head"], data["readings"]
    notes = data["notes"]
    items = [rule["item"] for rule in rules]
    waives = [rule["waives"] for rule in rules]
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode

    def line(record: Record, fen: int, applied: list[int]) -> str:
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
        return dumps(result) + "\n"

    return line


def main(argv: Sequence[str]) -> int:
    """Stream the roster ``argv[1]`` through the rules ``argv[0]`` to standard output."""
    with open(argv[0], encoding="utf-8") as file:
        data = json.load(file)
    aid = aid_function(data["rules"])
    line = result_line(data)
    write = sys.stdout.write
    with open(argv[1], encoding="utf-8") as roster:
        for text in roster:
            record = json.loads(text)
            fen, applied = aid(record)
            write(line(record, fen, applied))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
