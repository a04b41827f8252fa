"""Case tables: named cases that policy staff write, checked against a region's plans.

A case file states, without Python, what a plan must give: a student and the aid they
receive, a teacher and the incentives they earn, a year's figures and where each
target stands, a candidate list and who a quota selects, an award list and whether it
meets a share.  :func:`read_cases` reads a file (TOML of named cases, or a CSV file or
an ``.xlsx`` workbook of student cases) and checks it against the plan in force;
:meth:`Case.run` asks the question and compares, expected against actual.  The pytest
plugin :mod:`edupolicy.testing.plugin` runs the files named ``test_*.cases.toml``,
``test_*.cases.csv`` and ``test_*.cases.xlsx``; ``docs/cases.md`` describes the
formats.  :func:`case_template` is a student case table to start from, which
:func:`write_case_template` writes as CSV or as a workbook.

>>> import edupolicy.cases
>>> edupolicy.cases.CASE_FILE_PATTERNS
('test_*.cases.toml', 'test_*.cases.csv', 'test_*.cases.xlsx')
"""

from typing import TYPE_CHECKING

from edupolicy._lazy import lazy_names

if TYPE_CHECKING:
    from edupolicy.cases.casefiles import (
        CASE_FILE_PATTERNS,
        CSV_COLUMNS,
        CaseFileError,
        read_case_data,
        read_cases,
    )
    from edupolicy.cases.checks import AppliedRule, Check
    from edupolicy.cases.coverage import Coverage, Provision, provisions
    from edupolicy.cases.model import Case, Outcome
    from edupolicy.cases.problems import CaseProblem
    from edupolicy.cases.templates import CaseTemplate, case_template, write_case_template
    from edupolicy.cases.vocabulary import EXPECTATIONS, Expected, ProvisionKind, Subject

__all__ = [
    "CASE_FILE_PATTERNS",
    "CSV_COLUMNS",
    "EXPECTATIONS",
    "AppliedRule",
    "Case",
    "CaseFileError",
    "CaseProblem",
    "CaseTemplate",
    "Check",
    "Coverage",
    "Expected",
    "Outcome",
    "Provision",
    "ProvisionKind",
    "Subject",
    "case_template",
    "provisions",
    "read_case_data",
    "read_cases",
    "write_case_template",
]

# Imported when first used: the command line names the package without reading cases.
_WHERE = {
    "casefiles": (
        "CASE_FILE_PATTERNS",
        "CSV_COLUMNS",
        "CaseFileError",
        "read_case_data",
        "read_cases",
    ),
    "checks": ("AppliedRule", "Check"),
    "coverage": ("Coverage", "Provision", "provisions"),
    "model": ("Case", "Outcome"),
    "problems": ("CaseProblem",),
    "templates": ("CaseTemplate", "case_template", "write_case_template"),
    "vocabulary": ("EXPECTATIONS", "Expected", "ProvisionKind", "Subject"),
}
lazy_names(
    __name__,
    {name: f"{__name__}.{module}:{name}" for module, names in _WHERE.items() for name in names},
)
