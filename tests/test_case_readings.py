"""Case tables under a reading: a file's or a case's ``readings``, checked and reported."""

from __future__ import annotations

from pathlib import Path

import pytest

from edupolicy.cases import Case, CaseFileError, read_cases

HEAD = 'region = "jinfeng"\non = 2019-09-01\n'
VOCATIONAL = 'student = { stage = "secondary_vocational", year = 1, school_area = "urban" }\n'
UNIVERSAL = 'readings = { secondary-vocational-subsidy = "universal" }\n'


def cases_of(tmp_path: Path, text: str, name: str = "test_r.cases.toml") -> list[Case]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return list(read_cases(path, label=name))


def file_problems(tmp_path: Path, text: str, name: str = "test_r.cases.toml") -> list[str]:
    with pytest.raises(CaseFileError) as caught:
        cases_of(tmp_path, text, name)
    return [problem.render("en") for problem in caught.value.problems]


def test_a_case_is_checked_under_its_own_readings(tmp_path: Path) -> None:
    text = (
        HEAD
        + '[[case]]\nname = "universal"\n'
        + UNIVERSAL
        + VOCATIONAL
        + 'cash_total = "3000.00"\n'
        + '[[case]]\nname = "as written"\n'
        + VOCATIONAL
        + 'cash_total = "0.00"\n'
    )
    universal, written = cases_of(tmp_path, text)
    assert dict(universal.readings) == {"secondary-vocational-subsidy": "universal"}
    assert dict(written.readings) == {}
    assert universal.run().passed
    assert written.run().passed


def test_readings_at_the_top_of_a_file_apply_to_every_case_and_a_case_adds_its_own(
    tmp_path: Path,
) -> None:
    text = (
        HEAD
        + UNIVERSAL
        + '[[case]]\nname = "universal"\n'
        + VOCATIONAL
        + 'cash_total = "3000.00"\n'
        + '[[case]]\nname = "both"\nreadings = { continuity-gap = "no-gap" }\n'
        + VOCATIONAL
        + 'cash_total = "3000.00"\n'
    )
    first, second = cases_of(tmp_path, text)
    assert dict(first.readings) == {"secondary-vocational-subsidy": "universal"}
    assert dict(second.readings) == {
        "secondary-vocational-subsidy": "universal",
        "continuity-gap": "no-gap",
    }
    assert first.run().passed
    assert second.run().passed


def test_a_failing_case_under_a_reading_says_the_reading(tmp_path: Path) -> None:
    text = HEAD + '[[case]]\nname = "wrong"\n' + UNIVERSAL + VOCATIONAL + 'cash_total = "0.00"\n'
    (case,) = cases_of(tmp_path, text)
    outcome = case.run()
    assert not outcome.passed
    report = outcome.report()
    assert "Readings: secondary-vocational-subsidy=universal" in report
    assert "secondary-vocational-subsidy" in report.split("Readings:")[1]


@pytest.mark.parametrize(
    ("readings", "expected"),
    [
        (
            'readings = { secondary-vocational-subsidy = "free" }',
            "readings.secondary-vocational-subsidy: no such choice; choices: "
            'means-tested, universal (got "free")',
        ),
        (
            'readings = { vocational = "universal" }',
            "readings.vocational: no plan of the region offers this reading",
        ),
        ('readings = "universal"', "readings: must be a table of readings"),
        (
            "readings = { continuity-gap = 92 }",
            "readings.continuity-gap: must be the id of a choice, as text (got 92)",
        ),
    ],
    ids=["choice", "reading", "not-a-table", "not-text"],
)
def test_a_bad_reading_in_a_case_is_a_file_error_naming_line_and_field(
    tmp_path: Path, readings: str, expected: str
) -> None:
    text = HEAD + '[[case]]\nname = "c"\n' + readings + "\n" + VOCATIONAL + 'cash_total = "0.00"\n'
    found = file_problems(tmp_path, text)
    assert len(found) == 1, found
    assert found[0].startswith("test_r.cases.toml:5: "), found
    assert expected in found[0]


def test_a_bad_reading_at_the_top_of_a_file_is_named(tmp_path: Path) -> None:
    text = (
        HEAD + "readings = [1]\n" + '[[case]]\nname = "c"\n' + VOCATIONAL + 'cash_total = "0.00"\n'
    )
    found = file_problems(tmp_path, text)
    assert any(p.startswith("test_r.cases.toml:3: readings: must be a table") for p in found)


def test_csv_cases_give_readings_as_id_equals_choice(tmp_path: Path) -> None:
    text = (
        "name,region,on,stage,year,school_area,readings,cash_total\n"
        "universal,jinfeng,2019-09-01,secondary_vocational,1,urban,"
        "secondary-vocational-subsidy=universal,3000.00\n"
        "as written,jinfeng,2019-09-01,secondary_vocational,1,urban,,0.00\n"
    )
    universal, written = cases_of(tmp_path, text, "test_r.cases.csv")
    assert universal.run().passed
    assert written.run().passed
    bad = text.replace("secondary-vocational-subsidy=universal", "secondary-vocational-subsidy")
    found = file_problems(tmp_path, bad, "test_r.cases.csv")
    assert found == [
        "test_r.cases.csv:2: readings.secondary-vocational-subsidy: must be the id of a "
        'choice, as text (got "")'
    ]


# --- case files checked under a change file -----------------------------------------------------

RAISE = """\
[[change]]
rule = "primary-poor-grant"
set = { "benefit.amount" = "600.00" }
reason = "raise the primary-school grant for poor students"
"""
POOR_PUPIL = (
    'student = { stage = "primary", year = 3, school_area = "rural", household = ["dibao"] }\n'
)


def test_a_case_file_can_be_checked_under_a_change_file_beside_it(tmp_path: Path) -> None:
    (tmp_path / "raise.changes.toml").write_text(RAISE, encoding="utf-8")
    text = (
        HEAD
        + 'changes = "raise.changes.toml"\n'
        + '[[case]]\nname = "raised"\n'
        + POOR_PUPIL
        + 'cash_total = "600.00"\n'
    )
    (case,) = cases_of(tmp_path, text)
    assert [change.reason for change in case.changes] == [
        "raise the primary-school grant for poor students"
    ]
    assert case.run().passed
    plain = cases_of(
        tmp_path, text.replace('changes = "raise.changes.toml"\n', ""), "test_p.cases.toml"
    )
    assert not plain[0].run().passed


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, "Cannot read change file missing.changes.toml"),
        ('[[change]]\nrule = "primary-poor-grant"\nset = { x = 1 }\n', "needs a reason"),
        (
            '[[change]]\nrule = "no-such-rule"\nset = { x = 1 }\nreason = "r"\n',
            "no plan of region jinfeng has a rule with the id no-such-rule",
        ),
    ],
    ids=["missing", "invalid", "no-such-rule"],
)
def test_a_bad_change_file_is_a_case_file_error(
    tmp_path: Path, content: str | None, expected: str
) -> None:
    name = "missing.changes.toml" if content is None else "bad.changes.toml"
    if content is not None:
        (tmp_path / name).write_text(content, encoding="utf-8")
    text = HEAD + f'changes = "{name}"\n' + '[[case]]\nname = "c"\n' + POOR_PUPIL
    text += 'cash_total = "600.00"\n'
    found = file_problems(tmp_path, text)
    assert found, "the file is accepted"
    assert any(expected in problem for problem in found), found
