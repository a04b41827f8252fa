"""TOML case files: named cases, each a ``[[case]]`` table, under optional defaults.

The top of a file may give the region, the date and the year of every case.
``tomllib`` keeps no line numbers, so the lines come from the text: each case starts
at its ``[[case]]`` header, and a key of a case is found by scanning the case's lines.
"""

from __future__ import annotations

import re
import tomllib
from typing import Final

from edupolicy.cases.keys import (
    CaseReader,
    Defaults,
    check_readings,
    check_region,
    date_fields,
    read_change_file,
)
from edupolicy.cases.model import Case
from edupolicy.cases.problems import NOTHING, TomlSpan
from edupolicy.i18n import _
from edupolicy.io.parsers import toml_problem

__all__ = ["read_toml"]

_TOP_KEYS: Final = ("region", "on", "year", "readings", "changes", "case")
_CASE_HEADER = re.compile(r"^\s*\[\[\s*case\s*\]\]\s*(#.*)?$")


def read_toml(reader: CaseReader, text: str) -> list[Case]:
    """The cases of the TOML file ``text``."""
    problems = reader.problems
    try:
        data = tomllib.loads(text)
    except (ValueError, RecursionError) as exc:
        # (tomllib reads whole numbers with int(), which refuses 4,300 digits.)
        line, problem = toml_problem(exc)
        problems.problem(line, "", NOTHING, problem)
        return []
    lines = text.splitlines()
    headers = [n for n, line in enumerate(lines, start=1) if _CASE_HEADER.match(line)]
    top = TomlSpan(lines, 1, headers[0] if headers else len(lines) + 1, table=None)
    for key, value in data.items():
        if key not in _TOP_KEYS:
            problems.at(
                top,
                key,
                value,
                _(
                    "unknown key at the top of the file; it may have region, on, year, "
                    "readings, changes and [[case]] tables"
                ),
            )
    on, year = date_fields(problems, top, data)
    defaults = Defaults(
        given="region" in data,
        region=check_region(problems, top, data),
        on=on,
        year=year,
        readings=check_readings(problems, top, data) or {},
        changes=read_change_file(problems, top, data, reader.folder),
    )
    raw_cases = data.get("case")
    if raw_cases is None:
        problems.problem(1, "", NOTHING, _("the file has no [[case]] tables"))
        return []
    if not isinstance(raw_cases, list) or not all(isinstance(c, dict) for c in raw_cases):
        problems.at(top, "case", raw_cases, _("cases are [[case]] tables"))
        return []
    if len(headers) != len(raw_cases):
        # Cases written in some other TOML form: name them all by the first line.
        headers = [1] * len(raw_cases)
    cases: list[Case] = []
    for index, raw in enumerate(raw_cases):
        end = headers[index + 1] if index + 1 < len(headers) else len(lines) + 1
        span = TomlSpan(lines, headers[index], max(end, headers[index] + 1))
        found = reader.case(raw, span, defaults)
        if found is not None:
            cases.append(found)
    return cases
