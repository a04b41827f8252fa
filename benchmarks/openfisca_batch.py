"""The OpenFisca anchor of the command-line benchmark: the same rules, an OpenFisca batch.

A standalone script: it imports nothing of edupolicy, only OpenFisca (``openfisca-core``)
and ``plain.py`` beside it.  The aid schedule comes as the same data ``plain.py`` reads
(``rules_data`` in ``reference.py``), and :func:`tax_benefit_system` writes it as an
OpenFisca model, as a modeller would: one person entity; the fields of a student record
as input variables (the stage and the school area coded as numbers, one boolean a
household status); one variable a rule, its formula the rule's condition over those
arrays; one a rule as applied, dropped where a rule that overrides it applies; and the
cash in fen, their sum.

Run as ``python openfisca_batch.py RULES ROSTER``, it is the batch script the command
line is compared with: it reads the JSON Lines roster whole (``json.loads`` of each
line), since an OpenFisca simulation holds every person's inputs as arrays, calculates
every rule for every student at once, and writes each student's result as ``plain.py``
writes it: the same bytes as ``edupolicy aid --format jsonl``.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import plain
from openfisca_core.entities import build_entity
from openfisca_core.periods import YEAR
from openfisca_core.simulations import SimulationBuilder
from openfisca_core.taxbenefitsystems import TaxBenefitSystem
from openfisca_core.variables import Variable

__all__ = ["PERIOD", "batch", "main", "tax_benefit_system"]

#: The period every variable is given and calculated for.
PERIOD = "2019"
#: The record's flags, each a boolean input variable (false where the record omits it).
FLAGS = ("boarding", "orphan", "disabled")

Array = npt.NDArray[Any]
Formula = Callable[[Any, Any], Array]


class Codes:
    """The numbers the stage and the school area are coded as, one per text met."""

    def __init__(self) -> None:
        self.stage: dict[str, int] = {}
        self.area: dict[str, int] = {}

    @staticmethod
    def of(table: dict[str, int], text: object) -> int:
        return table.setdefault(str(text), len(table))


def _formula(condition: Sequence[Any], codes: Codes) -> Formula:
    """A condition of the rules data as an OpenFisca formula over a person's arrays."""
    kind = condition[0]
    if kind in ("all", "any"):
        parts = [_formula(part, codes) for part in condition[1]]
        join = np.logical_and if kind == "all" else np.logical_or

        def combined(person: Any, period: Any) -> Array:
            found = np.full(person.count, kind == "all")
            for part in parts:
                found = join(found, part(person, period))
            return found

        return combined
    if kind == "not":
        inner = _formula(condition[1], codes)
        return lambda person, period: np.logical_not(inner(person, period))
    if kind == "stage":
        stages = np.array([Codes.of(codes.stage, stage) for stage in condition[1]])
        return lambda person, period: np.isin(person("stage", period), stages)
    if kind == "year":
        low, high = condition[1], condition[2]
        if high is None:
            return lambda person, period: person("year", period) >= low
        return lambda person, period: (
            (person("year", period) >= low) & (person("year", period) <= high)
        )
    if kind == "area":
        area = Codes.of(codes.area, condition[1])
        return lambda person, period: person("school_area", period) == area
    if kind in FLAGS:
        flag, value = kind, bool(condition[1])
        return lambda person, period: person(flag, period) == value
    if kind == "household":
        names = [f"household_{status}" for status in condition[1]]

        def household(person: Any, period: Any) -> Array:
            found = np.zeros(person.count, dtype=bool)
            for name in names:
                found = found | person(name, period)
            return found

        return household
    raise ValueError(f"no OpenFisca formula for {kind}")


def _statuses(condition: Sequence[Any]) -> set[str]:
    kind = condition[0]
    if kind in ("all", "any"):
        return set().union(*(_statuses(part) for part in condition[1]))
    if kind == "not":
        return _statuses(condition[1])
    return set(condition[1]) if kind == "household" else set()


def _applies(rule: int, winners: Sequence[int]) -> Formula:
    """Rule ``rule`` as applied: where it holds and none of the rules that override it do."""

    def applies(person: Any, period: Any) -> Array:
        found: Array = person(f"rule_{rule}", period)
        for other in winners:
            found = found & np.logical_not(person(f"rule_{other}", period))
        return found

    return applies


def _variable(name: str, value_type: type, entity: Any, formula: Formula | None = None) -> type:
    members: dict[str, Any] = {
        "value_type": value_type,
        "entity": entity,
        "definition_period": YEAR,
        "label": name,
    }
    if formula is not None:
        members["formula"] = formula
    return type(name, (Variable,), members)


def tax_benefit_system(
    rules: Sequence[Mapping[str, Any]], codes: Codes
) -> tuple[TaxBenefitSystem, list[str]]:
    """The rules as an OpenFisca model, and the household statuses it reads."""
    student = build_entity("student", "students", "A student", is_person=True)
    system = TaxBenefitSystem([student])
    statuses = sorted(set().union(*(_statuses(rule["when"]) for rule in rules)))
    inputs = [
        _variable("stage", int, student),
        _variable("year", int, student),
        _variable("school_area", int, student),
        *(_variable(flag, bool, student) for flag in FLAGS),
        *(_variable(f"household_{status}", bool, student) for status in statuses),
    ]
    index = {rule["id"]: i for i, rule in enumerate(rules)}
    variables = list(inputs)
    for i, rule in enumerate(rules):
        variables.append(_variable(f"rule_{i}", bool, student, _formula(rule["when"], codes)))
    for i, rule in enumerate(rules):
        winners = [index[other["id"]] for other in rules if rule["id"] in other["overrides"]]
        variables.append(_variable(f"applies_{i}", bool, student, _applies(i, winners)))
    fen = [rule["fen"] for rule in rules]

    def cash_fen(person: Any, period: Any) -> Array:
        total = np.zeros(person.count, dtype=np.int64)
        for i, amount in enumerate(fen):
            if amount:
                total = total + np.where(person(f"applies_{i}", period), amount, 0)
        return total

    variables.append(_variable("cash_fen", int, student, cash_fen))
    for variable in variables:
        system.add_variable(variable)
    return system, statuses


def batch(
    data: Mapping[str, Any], records: Sequence[Mapping[str, Any]]
) -> tuple[Array, list[Array]]:
    """Every student's cash in fen, and each rule's applies array, calculated by OpenFisca."""
    rules = data["rules"]
    codes = Codes()
    system, statuses = tax_benefit_system(rules, codes)
    simulation = SimulationBuilder().build_default_simulation(system, len(records))
    columns: dict[str, Array] = {
        "stage": np.array([Codes.of(codes.stage, r.get("stage")) for r in records]),
        "year": np.array([r.get("year", 0) for r in records], dtype=np.int32),
        "school_area": np.array([Codes.of(codes.area, r.get("school_area")) for r in records]),
    }
    for flag in FLAGS:
        columns[flag] = np.array([r.get(flag, False) is True for r in records])
    households = [frozenset(r.get("household", ())) for r in records]
    for status in statuses:
        columns[f"household_{status}"] = np.array([status in h for h in households])
    for name, column in columns.items():
        simulation.set_input(name, PERIOD, column)
    fen = simulation.calculate("cash_fen", PERIOD)
    applied = [simulation.calculate(f"applies_{i}", PERIOD) for i in range(len(rules))]
    return fen, applied


def main(argv: Sequence[str]) -> int:
    """Evaluate the roster ``argv[1]`` under the rules ``argv[0]`` as one OpenFisca batch."""
    with open(argv[0], encoding="utf-8") as file:
        data = json.load(file)
    with open(argv[1], encoding="utf-8") as roster:
        records = [json.loads(line) for line in roster]
    fen, applied = batch(data, records)
    line = plain.result_line(data)
    write = sys.stdout.write
    rules = range(len(applied))
    for k, record in enumerate(records):
        write(line(record, int(fen[k]), [i for i in rules if applied[i][k]]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
