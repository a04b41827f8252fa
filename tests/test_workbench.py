"""The policy workbench's pages, in process (Starlette's TestClient): each of the five
tasks in both languages, the numbers shown against the library's, the uploads read in
memory and bounded, and bad input shown as the library's own error."""

from __future__ import annotations

import datetime as dt
import html
import io
import json
import re
import tempfile
from collections.abc import Iterator
from decimal import Decimal
from importlib.metadata import entry_points as installed_entry_points
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("starlette")
pytest.importorskip("jinja2")

from hypothesis import given, settings
from hypothesis import strategies as st
from starlette.datastructures import QueryParams
from starlette.testclient import TestClient

import edupolicy
import edupolicy.cli
import edupolicy_jinfeng
from edupolicy.cases import case_template, read_cases
from edupolicy.errors import InvalidRecordError
from edupolicy.i18n import Text, format_money
from edupolicy.io import json_schema
from edupolicy.io.changefiles import read_change_text
from edupolicy.io.workbooks import write_workbook
from edupolicy.plugins import RegionSpec
from edupolicy.plugins.registry import Registry
from edupolicy.server import Limits, create_app
from edupolicy.web.charts import bars, stacked
from edupolicy.web.forms import fields
from edupolicy.web.plantext import cited, read_text
from tests.fakedist import entry_points, install, plugin_source, region_spec
from tests.profiles import scaled
from tests.test_layers import RAISE, plan_text

ON = "2019-09-01"
LOCALES = ["zh_CN", "en"]
CASES = "tests/cases/test_jinfeng_students.cases.csv"


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(create_app(["jinfeng"], limits=Limits(roster=2 * 1024 * 1024))) as found:
        yield found


def by_id(page: str, element: str) -> str:
    """The text of the element with id ``element`` (no nested element of its tag)."""
    found = re.search(rf'id="{re.escape(element)}"[^>]*>(.*?)</', page, re.S)
    assert found is not None, f"no element {element}"
    return html.unescape(re.sub(r"<[^>]+>", "", found.group(1))).strip()


def jinfeng_text() -> str:
    return edupolicy_jinfeng.PLAN_TEXT.read_text(encoding="utf-8")


# --- the plan beside its rules --------------------------------------------------------------


def test_every_item_of_jinfeng_is_placed_at_its_sentence(jinfeng: edupolicy.Policy) -> None:
    plan = jinfeng.plans[0]
    text = read_text(jinfeng_text(), plan)
    assert text.unplaced == ()
    for item in cited(plan):
        sentence = text.sentence_of(item)
        assert sentence is not None, item.id
        assert item.source.quote[:4] in jinfeng_text()[sentence.start : sentence.end + 200]
    numbers = [s.number for s in text.sections if s.number]
    assert numbers == list(plan.sections), "every section of the table is found, in order"
    assert any(not s.cited for s in text.sentences), "some sentences carry no rule"


@pytest.mark.parametrize("locale", LOCALES)
def test_the_plan_page_links_sentences_and_items_both_ways(
    client: TestClient, jinfeng: edupolicy.Policy, locale: str
) -> None:
    page = client.get(f"/jinfeng/plan?lang={locale}").text
    plan = jinfeng.plans[0]
    text = read_text(jinfeng_text(), plan)
    for item in cited(plan):
        sentence = text.sentence_of(item)
        assert sentence is not None
        assert f'id="{item.anchor}"' in page
        assert f'href="#{item.anchor}"' in page, "the sentence links to the item"
        assert f'href="#{sentence.anchor}"' in page, "the item links to its sentence"
    uncited = sum(1 for s in text.sentences if not s.cited)
    assert page.count('class="tag norule"') == uncited
    assert by_id(page, "period") == str(plan.in_force)
    for reading in plan.readings:
        assert f'id="at-reading-{reading.id}"' in page
    no_rule = "无规则" if locale == "zh_CN" else "no rule"
    assert f">{no_rule}<" in page


def test_the_plan_page_reads_under_a_chosen_reading(client: TestClient) -> None:
    page = client.get("/jinfeng/plan?lang=en&reading=continuity-gap=no-gap").text
    assert '<option value="continuity-gap=no-gap" selected>' in page
    assert "reading=continuity-gap%3Dno-gap" in page, "the links keep the reading"


def test_a_bad_reading_is_the_librarys_error(client: TestClient) -> None:
    response = client.get("/jinfeng/plan?lang=en&reading=continuity-gap=never")
    assert response.status_code == 422
    assert "continuity-gap" in response.text
    assert "never" in response.text
    response = client.get("/nowhere/plan?lang=zh_CN")
    assert response.status_code == 404
    assert "nowhere" in response.text
    assert "jinfeng" in response.text


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_a_reading_not_written_id_choice_is_refused_in_the_words_of_every_surface(
    client: TestClient, lang: str
) -> None:
    api = client.get(
        "/regions/jinfeng/readings?reading=continuity-gap",
        headers={"Accept-Language": lang.replace("_", "-")},
    )
    (problem,) = api.json()["errors"]
    page = client.get(f"/jinfeng/plan?lang={lang}&reading=continuity-gap")
    err = io.StringIO()
    with pytest.raises(SystemExit):
        edupolicy.cli.main(
            ["--locale", lang, "readings", "--region", "jinfeng", "--reading", "continuity-gap"],
            stdout=io.StringIO(),
            stderr=err,
        )

    assert page.status_code == api.status_code == 400
    assert "ID=CHOICE" in problem["message"]
    assert problem["message"] in html.unescape(page.text)
    assert problem["message"] in err.getvalue()


def test_the_index_lists_the_regions_in_each_language(client: TestClient) -> None:
    assert "政策工作台" in client.get("/", headers={"Accept-Language": "zh-CN"}).text
    page = client.get("/?lang=en").text
    assert "Policy workbench" in page
    assert "/jinfeng/plan?lang=en" in page


# --- try a record ---------------------------------------------------------------------------

STUDENT = {
    "stage": ["primary"],
    "year": ["2"],
    "school_area": ["rural"],
    "boarding": ["true"],
    "household": ["registered_poor"],
}


@pytest.mark.parametrize("locale", LOCALES)
def test_a_student_tried_gets_the_librarys_answer(
    client: TestClient, jinfeng: edupolicy.Policy, locale: str
) -> None:
    query = [("lang", locale), ("ask", "1"), ("on", ON)]
    query += [(k, v) for k, values in STUDENT.items() for v in values]
    page = client.get("/jinfeng/try", params=QueryParams(query)).text
    result = jinfeng.aid(
        {
            "stage": "primary",
            "year": 2,
            "school_area": "rural",
            "boarding": True,
            "household": ["registered_poor"],
        },
        ON,
        explain=True,
    )
    assert by_id(page, "cash-total") == format_money(result.cash_total, locale)
    shown = re.findall(r'class="applied-item" data-rule="([^"]+)"', page)
    assert shown == [item.rule.id for item in result.items]
    assert len(re.findall(r"<tr><td><strong>", page.split('id="not-applied"')[1])) == len(
        result.to_json()["not_applied"]
    )


def test_a_student_under_another_reading(client: TestClient, jinfeng: edupolicy.Policy) -> None:
    record = {"stage": "secondary_vocational", "year": 1, "school_area": "urban"}
    query = [
        ("lang", "en"),
        ("ask", "1"),
        ("on", ON),
        ("stage", "secondary_vocational"),
        ("year", "1"),
        ("school_area", "urban"),
        ("reading", "secondary-vocational-subsidy=universal"),
    ]
    page = client.get("/jinfeng/try", params=QueryParams(query)).text
    under = jinfeng.with_readings({"secondary-vocational-subsidy": "universal"})
    assert by_id(page, "cash-total") == format_money(under.aid(record, ON).cash_total, "en")
    assert jinfeng.aid(record, ON).cash_total != under.aid(record, ON).cash_total


def test_a_teacher_tried(client: TestClient, jinfeng: edupolicy.Policy) -> None:
    query = [
        ("lang", "zh_CN"),
        ("question", "teacher"),
        ("ask", "1"),
        ("on", ON),
        ("title", "junior"),
        ("meets_title_criteria", "true"),
        ("outstanding", "true"),
        ("service.school_area.0", "rural"),
        ("service.start.0", "2001-09-01"),
    ]
    page = client.get("/jinfeng/try", params=QueryParams(query)).text
    teacher = {
        "title": "junior",
        "meets_title_criteria": True,
        "outstanding": True,
        "service": [{"school_area": "rural", "start": "2001-09-01", "end": None}],
    }
    shown = re.findall(r'class="applied-item" data-rule="([^"]+)"', page)
    assert shown == [item.rule.id for item in jinfeng.teacher(teacher, ON).items]
    assert shown


def test_a_bad_record_is_shown_with_its_field(client: TestClient) -> None:
    page = client.get(
        "/jinfeng/try", params={"lang": "en", "ask": "1", "stage": "primary", "year": "x"}
    ).text
    assert 'id="record-form"' in page, "the form stays"
    assert "$.year" in page
    assert "$.school_area" in page


def test_the_form_is_the_records_schema() -> None:
    student = fields(json_schema("student"))
    assert [f.key for f in student if f.required] == ["stage", "year", "school_area"]
    teacher = {f.key: f for f in fields(json_schema("teacher"))}
    assert teacher["service"].widget == "rows"
    assert [c.key for c in teacher["service"].columns] == ["school_area", "start", "end"]


@settings(max_examples=scaled(40))
@given(
    st.dictionaries(
        st.sampled_from([*STUDENT, "orphan", "id", "nonsense"]),
        st.lists(st.text(max_size=8), max_size=3),
    )
)
def test_any_form_is_an_answer_or_the_librarys_error(
    client: TestClient, form: dict[str, list[str]]
) -> None:
    query = [("lang", "zh_CN"), ("ask", "1"), ("on", ON)]
    query += [(key, value) for key, values in form.items() for value in values]
    response = client.get("/jinfeng/try", params=QueryParams(query))
    assert response.status_code == 200
    assert ('id="answer"' in response.text) != ('id="problem"' in response.text)


# --- case tables ----------------------------------------------------------------------------


@pytest.mark.parametrize("locale", LOCALES)
def test_a_case_table_runs_with_the_plugins_report(client: TestClient, locale: str) -> None:
    data = Path(CASES).read_bytes()
    wrong = data.replace(b",dibao,,,1000.00,", b",dibao,,,1200.00,", 1)
    response = client.post(
        f"/jinfeng/cases?lang={locale}", files={"cases": ("mine.cases.csv", wrong)}
    )
    page = response.text
    outcomes = [case.run(locale=locale) for case in read_cases(CASES)]
    failed = page.count('class="case fail"')
    assert failed == 1
    assert page.index('class="case fail"') < page.index('class="case pass"'), "failures first"
    assert page.count('class="case pass"') == len(outcomes) - 1
    report = html.unescape(page.split('class="case fail"')[1].split("</pre>")[0])
    assert "1200.00" in report
    assert "1000.00" in report


def test_a_bad_case_table_lists_its_problems(client: TestClient) -> None:
    page = client.post(
        "/jinfeng/cases?lang=en", files={"cases": ("x.cases.csv", b"name,region,wrong\n")}
    ).text
    assert 'id="problem"' in page
    assert "wrong" in page
    page = client.post("/jinfeng/cases?lang=en", files={"cases": ("x.txt", b"hi")}).text
    assert 'id="problem"' in page
    assert ".toml" in page


# --- what-if --------------------------------------------------------------------------------


def whatif(client: TestClient, locale: str, roster: tuple[str, bytes] | None, **extra: Any) -> str:
    data = {"on": ON, "amount.primary-poor-grant": "600", "reason": "raise", **extra}
    if roster is None:
        data["sample"] = "1"
    files = {"roster": roster if roster is not None else ("", b"")}
    response = client.post(f"/jinfeng/what-if?lang={locale}", data=data, files=files)
    assert response.status_code == 200
    return response.text


def sample() -> list[dict[str, Any]]:
    text = edupolicy_jinfeng.SAMPLE_ROSTER.read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


@pytest.mark.parametrize("locale", LOCALES)
def test_what_if_shows_the_librarys_budget_and_diff(
    client: TestClient, jinfeng: edupolicy.Policy, locale: str
) -> None:
    page = whatif(client, locale, None, reading="secondary-vocational-subsidy=universal")
    change = re.search(r'href="data:application/toml;charset=utf-8,([^"]+)"', page)
    assert change is not None
    from urllib.parse import unquote

    text = unquote(html.unescape(change.group(1)))
    changes = read_change_text(text, "what-if.changes.toml")
    after = jinfeng.with_readings({"secondary-vocational-subsidy": "universal"}).with_changes(
        changes
    )
    diff = jinfeng.diff(sample(), ON, against=after)
    assert by_id(page, "students") == str(diff.tally.students)
    assert by_id(page, "cash-before") == format_money(diff.tally.cash_before, locale)
    assert by_id(page, "cash-after") == format_money(diff.tally.cash_after, locale)
    assert by_id(page, "gain") == str(diff.tally.overall.gain)
    assert by_id(page, "lose") == str(diff.tally.overall.lose)
    assert page.count("<svg") == 3
    students = re.search(r'href="data:text/csv;charset=utf-8,([^"]+)"', page)
    assert students is not None
    rows = unquote(html.unescape(students.group(1))).strip().splitlines()
    assert len(rows) - 1 == diff.tally.overall.gain + diff.tally.overall.lose


def test_what_if_reads_an_uploaded_csv_roster_and_reports_bad_rows(
    client: TestClient, jinfeng: edupolicy.Policy
) -> None:
    roster = b"stage,year,school_area,household\nprimary,2,rural,dibao\nprimary,x,rural,\n"
    page = whatif(client, "en", ("roster.csv", roster))
    assert by_id(page, "students") == "1"
    assert by_id(page, "skipped") == "1"
    assert "roster.csv:3" in page
    assert "$.year" in page


def test_what_if_reads_json_lines(client: TestClient) -> None:
    lines = "\n".join(json.dumps(r) for r in sample()).encode()
    page = whatif(client, "zh_CN", ("roster.jsonl", lines))
    assert by_id(page, "students") == str(len(sample()))


def test_what_if_refuses_a_bad_amount_naming_it(client: TestClient) -> None:
    page = whatif(client, "en", None, **{"amount.primary-poor-grant": "six hundred"})
    assert 'id="problem"' in page
    assert "amount.primary-poor-grant" in page


def test_what_if_removes_and_adds_rules(client: TestClient, jinfeng: edupolicy.Policy) -> None:
    added = (
        'id = "primary-extra"\nname = { zh_CN = "加", en = "Extra" }\n'
        'source = { section = "二(一)1", quote = "小学贫困生每生每年发放资助金500元" }\n'
        'benefit = { kind = "cash", amount = "500.00", frequency = "per_year" }\n'
        'when = { stage = ["primary"] }\n'
    )
    page = whatif(client, "en", None, remove="primary-orphan-grant", add=added)
    text = html.unescape(by_id(page, "change-file"))
    changes = read_change_text(text, "x.toml")
    assert [c.describe() for c in changes] == [
        'rule = "primary-poor-grant"',
        'rule = "primary-orphan-grant"',
        'add = "aid.rules"',
    ]
    after = jinfeng.with_changes(changes)
    diff = jinfeng.diff(sample(), ON, against=after)
    assert by_id(page, "cash-after") == format_money(diff.tally.cash_after, "en")
    assert diff.tally.cash_after > diff.tally.cash_before


def test_uploads_stay_in_memory(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_disk(self: object) -> None:
        raise AssertionError("an upload was rolled over to disk")

    monkeypatch.setattr(tempfile.SpooledTemporaryFile, "rollover", no_disk)
    line = json.dumps(sample()[0]) + "\n"
    roster = (line * (1_500_000 // len(line))).encode()  # past Starlette's 1 MiB spool
    page = whatif(client, "en", ("big.jsonl", roster))
    assert by_id(page, "students") == str(roster.count(b"\n"))


def test_an_upload_past_the_limit_is_refused(client: TestClient) -> None:
    response = client.post(
        "/jinfeng/what-if?lang=en", files={"roster": ("big.jsonl", b"x" * (3 * 1024 * 1024))}
    )
    assert response.status_code == 422
    assert "2,097,152" in response.text


# --- audit ----------------------------------------------------------------------------------


@pytest.mark.parametrize("locale", LOCALES)
def test_the_audit_shows_every_finding(
    client: TestClient, jinfeng: edupolicy.Policy, locale: str
) -> None:
    page = client.get(f"/jinfeng/audit?lang={locale}").text
    findings = jinfeng.check()
    assert page.count('class="finding"') == len(findings)
    for finding in findings:
        assert html.escape(finding.message.render(locale), quote=True) in page


# --- charts ---------------------------------------------------------------------------------


def test_bars_are_drawn_to_scale() -> None:
    drawn = bars([("a", [(Decimal(100), "100"), (Decimal(50), "50")])], ["x", "y"], title="t")
    widths = [
        float(w) for w in re.findall(r'<rect x="190" y="\d+" width="([\d.]+)" height="18"', drawn)
    ]
    assert widths[0] == pytest.approx(2 * widths[1])
    parts = stacked([("a", [3, 1, 0])], ["g", "l", "s"], title="t")
    assert "<title>g: 3</title>" in parts
    assert "<title>l: 1</title>" in parts
    assert "s: 0" not in parts, "an empty part is not drawn"
    assert "<script" not in drawn + parts


# --- workbooks ------------------------------------------------------------------------------


@pytest.mark.parametrize("locale", LOCALES)
def test_the_template_workbook_runs_green_when_uploaded_back(
    client: TestClient, locale: str
) -> None:
    response = client.get(f"/jinfeng/cases/template.xlsx?lang={locale}")
    assert response.status_code == 200
    assert "test_jinfeng.cases.xlsx" in response.headers["content-disposition"]
    workbook = response.content
    assert workbook[:2] == b"PK", "an .xlsx file is a zip archive"
    page = client.post(
        f"/jinfeng/cases?lang={locale}", files={"cases": ("test_jinfeng.cases.xlsx", workbook)}
    ).text
    template = case_template("jinfeng", on=dt.date(2018, 8, 30), locale=locale)
    assert page.count('class="case pass"') == len(template.rows) > 0
    assert 'class="case fail"' not in page
    assert 'href="/jinfeng/cases/template.xlsx?lang=' in client.get("/jinfeng/cases").text


def test_what_if_reads_a_workbook_roster(client: TestClient, jinfeng: edupolicy.Policy) -> None:
    out = io.BytesIO()
    rows = [("primary", "2", "rural", "dibao"), ("junior_secondary", "1", "urban", "")]
    write_workbook(out, ("stage", "year", "school_area", "household"), rows, sheet="roster")
    page = whatif(client, "en", ("roster.xlsx", out.getvalue()))
    assert by_id(page, "students") == "2"
    roster = [
        {"stage": "primary", "year": 2, "school_area": "rural", "household": ["dibao"]},
        {"stage": "junior_secondary", "year": 1, "school_area": "urban"},
    ]
    assert by_id(page, "cash-before") == format_money(jinfeng.budget(roster, ON).cash_total, "en")
    damaged = whatif(client, "en", ("roster.xlsx", b"PK not a workbook"))
    assert 'id="problem"' in damaged
    assert "roster.xlsx" in damaged


# --- a layered region, whose plugin ships no text -------------------------------------------


def test_a_layered_region_without_text_shows_its_parent_and_its_items(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(str(tmp_path))
    text = plan_text(RAISE, parent="jinfeng")
    install(tmp_path, plugin_source(f"[{region_spec('helan')}]"), files={"plan.toml": text})
    real = [ep for ep in installed_entry_points(group="edupolicy") if ep.name == "jinfeng"]
    registry = Registry(entry_points=[*real, *entry_points(tmp_path)], environ={})
    with TestClient(create_app(["jinfeng", "helan"], registry=registry)) as layered:
        page = layered.get("/helan/plan?lang=en").text
        helan = registry.load("helan")
        assert by_id(page, "level") == "builds on the plan of region jinfeng"
        assert "ships no text of this plan" in page
        for item in cited(helan.plans[0]):
            assert f'id="{item.anchor}"' in page
        assert "/helan/try" in page
        own = page.split('id="rule-primary-poor-grant"')[1].split("</div>")[0]
        assert 'class="tag own">own<' in own, "the rule the district changed is its own"
        inherited = page.split('id="rule-preschool-voucher"')[1].split("</div>")[0]
        assert "inherited from 金教发〔2018〕410号" in inherited
        # Given its own text, the district's own items are found in it, and only they.
        own_text = read_text(
            "一、学生资助\n小学贫困生每生每年发放资助金600元。其他的话。\n", helan.plans[0]
        )
        (section,) = own_text.sections
        assert section.number == "一"
        first, second = section.sentences
        assert [item.id for item in first.cited] == ["primary-poor-grant"]
        assert second.cited == ()
        assert len(own_text.unplaced) == len(cited(helan.plans[0])) - 1
        audit = layered.get("/helan/audit?lang=zh_CN").text
        findings = helan.check()
        assert audit.count('class="finding"') == len(findings)
        inherited_count = sum(1 for finding in findings if not finding.own)
        assert audit.count('class="tag inherited"') == inherited_count > 0
        assert audit.count('class="tag own"') == len(findings) - inherited_count


def test_a_plan_text_must_be_a_file_the_plugin_ships() -> None:
    with pytest.raises(InvalidRecordError, match="plan_texts") as caught:
        RegionSpec.from_files(
            id="x",
            name=Text(zh_CN="x", en="x"),
            plan_files=[],
            plan_texts={"x-2019": "plan.txt"},  # type: ignore[dict-item]
        )
    assert "must map plan ids to paths" in str(caught.value)


@settings(max_examples=scaled(25))
@given(
    name=st.sampled_from(["r.csv", "r.jsonl", "r.json", "r.xlsx", "r.txt"]),
    data=st.one_of(
        st.binary(max_size=300),
        st.lists(
            st.text(
                alphabet='stage,year,school_area,household,primary,1,2,rural\n;{}[]":', max_size=30
            ),
            max_size=5,
        ).map(lambda lines: "\n".join(lines).encode()),
    ),
)
def test_any_roster_upload_is_an_answer_or_the_librarys_error(
    client: TestClient, name: str, data: bytes
) -> None:
    response = client.post(
        "/jinfeng/what-if?lang=en", data={"on": ON}, files={"roster": (name, data or b" ")}
    )
    assert response.status_code == 200
    assert ('id="result"' in response.text) != ('id="problem"' in response.text)


@settings(max_examples=scaled(25))
@given(
    name=st.sampled_from(["c.cases.csv", "c.cases.toml", "c.cases.xlsx"]),
    data=st.one_of(
        st.binary(max_size=300),
        st.text(alphabet='name,region,on,stage,jinfeng,[]="case\n', max_size=80).map(str.encode),
    ),
)
def test_any_case_upload_is_a_report_or_the_librarys_error(
    client: TestClient, name: str, data: bytes
) -> None:
    response = client.post("/jinfeng/cases?lang=zh_CN", files={"cases": (name, data or b" ")})
    assert response.status_code == 200
    assert ('id="outcomes"' in response.text) != ('id="problem"' in response.text)


def test_a_streamed_upload_past_the_limit_is_refused(client: TestClient) -> None:
    def body() -> Iterator[bytes]:
        yield b'--b\r\nContent-Disposition: form-data; name="roster"; filename="r.jsonl"\r\n\r\n'
        for _chunk in range(40):
            yield b"x" * 65536  # 2.5 MiB in all, sent without a length

    response = client.post(
        "/jinfeng/what-if?lang=zh_CN",
        content=body(),
        headers={"content-type": "multipart/form-data; boundary=b"},
    )
    assert response.status_code == 422
    assert "2,097,152" in response.text


def test_a_url_encoded_form_is_read_too(client: TestClient) -> None:
    page = client.post(
        "/jinfeng/what-if?lang=en",
        data={"on": ON, "sample": "1", "amount.primary-poor-grant": "600"},
    ).text
    assert by_id(page, "students") == str(len(sample()))
