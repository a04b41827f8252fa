"""The five tasks of the policy workbench in a real Chromium, in both languages.

Each test does what an officer does, by clicks and typing, and compares what the page
shows with the library's own answer.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest

pytest.importorskip("selenium")

from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

import edupolicy
import edupolicy_jinfeng
from edupolicy.cases import case_template, read_cases, write_case_template
from edupolicy.i18n import format_money
from edupolicy.io.changefiles import read_change_text

LOCALES = ["zh_CN", "en"]
CASES = Path(__file__).parent.parent / "cases" / "test_jinfeng_students.cases.csv"

Shot = Callable[..., None]


@pytest.fixture(scope="module")
def jinfeng() -> edupolicy.Policy:
    return edupolicy.load("jinfeng")


def text(browser: Any, css: str) -> str:
    found: str = browser.find_element(By.CSS_SELECTOR, css).text
    return found.strip()


def fits(browser: Any) -> bool:
    """Whether the page needs no sideways scrolling."""
    return bool(
        browser.execute_script(
            "return document.documentElement.scrollWidth <= window.innerWidth + 1"
        )
    )


def go(browser: Any, css: str) -> None:
    """Click what ``css`` selects and wait for the next page to load."""
    page = browser.find_element(By.TAG_NAME, "html")
    browser.find_element(By.CSS_SELECTOR, css).click()

    def gone(_driver: Any) -> bool:
        try:
            page.is_enabled()
        except StaleElementReferenceException:
            return True
        return False

    # While the next page loads, the driver may answer with another error: try again.
    wait = WebDriverWait(browser, 60, ignored_exceptions=(WebDriverException,))
    wait.until(gone)
    wait.until(lambda driver: driver.execute_script("return document.readyState") == "complete")


def set_value(browser: Any, css: str, value: str) -> None:
    """Fill an input whose widget the browser draws itself (a date)."""
    element = browser.find_element(By.CSS_SELECTOR, css)
    browser.execute_script("arguments[0].value = arguments[1]", element, value)


@pytest.mark.parametrize("locale", LOCALES)
def test_the_plan_beside_its_rules(
    browser: Any, server: str, shot: Shot, jinfeng: edupolicy.Policy, locale: str
) -> None:
    browser.get(f"{server}/jinfeng/plan?lang={locale}")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == locale.replace(
        "_", "-"
    )
    plan = jinfeng.plans[0]
    assert text(browser, "#period") == str(plan.in_force)
    assert browser.find_elements(By.CSS_SELECTOR, ".tag.norule"), "sentences with no rule"
    shot(f"plan-{locale}")
    # From a sentence to the rule it carries, and back to the sentence.
    browser.find_element(By.CSS_SELECTOR, 'a.tag[href="#rule-primary-poor-grant"]').click()
    assert browser.current_url.endswith("#rule-primary-poor-grant")
    item = browser.find_element(By.ID, "rule-primary-poor-grant")
    assert item.is_displayed()
    item.find_element(By.CSS_SELECTOR, 'a[href^="#s"]').click()
    sentence_id = browser.current_url.rsplit("#", 1)[1]
    assert "500" in browser.find_element(By.ID, sentence_id).text
    # A reading, chosen at its sentence.
    Select(
        browser.find_element(By.CSS_SELECTOR, 'select[aria-label="continuity-gap"]')
    ).select_by_value("continuity-gap=no-gap")
    go(browser, "#apply-readings")
    assert "reading=continuity-gap%3Dno-gap" in browser.current_url
    chosen = Select(browser.find_element(By.CSS_SELECTOR, 'select[aria-label="continuity-gap"]'))
    assert chosen.first_selected_option.get_attribute("value") == "continuity-gap=no-gap"
    # The reading stays chosen on the other tasks.
    go(browser, "#nav-try")
    chosen = Select(browser.find_element(By.ID, "f-reading-continuity-gap"))
    assert chosen.first_selected_option.get_attribute("value") == "continuity-gap=no-gap"
    go(browser, "#nav-plan")
    # The other language, same page.
    other = "en" if locale == "zh_CN" else "zh_CN"
    go(browser, f"#lang-{other}")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == other.replace(
        "_", "-"
    )
    assert "reading=continuity-gap" in browser.current_url


@pytest.mark.parametrize("locale", LOCALES)
def test_try_a_student_and_a_teacher(
    browser: Any, server: str, shot: Shot, jinfeng: edupolicy.Policy, locale: str
) -> None:
    browser.get(f"{server}/jinfeng/try?lang={locale}")
    Select(browser.find_element(By.ID, "f-stage")).select_by_value("primary")
    year = browser.find_element(By.ID, "f-year")
    year.clear()
    year.send_keys("2")
    Select(browser.find_element(By.ID, "f-school_area")).select_by_value("rural")
    browser.find_element(By.ID, "f-boarding").click()
    browser.find_element(By.ID, "f-household-registered_poor").click()
    set_value(browser, "#f-on", "2019-09-01")
    go(browser, "#ask")
    student = {
        "stage": "primary",
        "year": 2,
        "school_area": "rural",
        "boarding": True,
        "household": ["registered_poor"],
    }
    result = jinfeng.aid(student, "2019-09-01", explain=True)
    assert text(browser, "#cash-total") == format_money(result.cash_total, locale)
    rules = [
        row.get_attribute("data-rule")
        for row in browser.find_elements(By.CSS_SELECTOR, "tr.applied-item")
    ]
    assert rules == [item.rule.id for item in result.items]
    assert browser.find_elements(By.CSS_SELECTOR, "#not-applied tr")
    shot(f"try-{locale}", "#answer")
    # A teacher: rural since 2001, junior title, outstanding.
    go(browser, "#question-teacher")
    Select(browser.find_element(By.ID, "f-title")).select_by_value("junior")
    browser.find_element(By.ID, "f-meets_title_criteria").click()
    browser.find_element(By.ID, "f-outstanding").click()
    Select(browser.find_element(By.ID, "f-service.school_area.0")).select_by_value("rural")
    set_value(browser, "#f-service\\.start\\.0", "2001-09-01")
    set_value(browser, "#f-on", "2019-09-01")
    go(browser, "#ask")
    teacher = {
        "title": "junior",
        "meets_title_criteria": True,
        "outstanding": True,
        "service": [{"school_area": "rural", "start": "2001-09-01", "end": None}],
    }
    earned = [item.rule.id for item in jinfeng.teacher(teacher, "2019-09-01").items]
    shown = [
        row.get_attribute("data-rule")
        for row in browser.find_elements(By.CSS_SELECTOR, "tr.applied-item")
    ]
    assert shown == earned
    assert shown
    shot(f"try-teacher-{locale}", "#answer")


@pytest.mark.parametrize("locale", LOCALES)
def test_run_a_case_table(
    browser: Any, server: str, shot: Shot, tmp_path: Path, locale: str
) -> None:
    table = tmp_path / "mine.cases.csv"
    table.write_bytes(CASES.read_bytes().replace(b",dibao,,,1000.00,", b",dibao,,,1200.00,", 1))
    browser.get(f"{server}/jinfeng/cases?lang={locale}")
    browser.find_element(By.ID, "f-cases").send_keys(str(table))
    go(browser, "#run-cases")
    cases = read_cases(CASES)
    assert len(browser.find_elements(By.CSS_SELECTOR, "tr.case.fail")) == 1
    assert len(browser.find_elements(By.CSS_SELECTOR, "tr.case.pass")) == len(cases) - 1
    report = text(browser, "tr.case.fail pre")
    assert "1200.00" in report
    assert "1000.00" in report
    shot(f"cases-{locale}", "#outcomes")
    # The region's template workbook (the page's download), kept in Excel, runs green.
    link = browser.find_element(By.ID, "download-template").get_attribute("href")
    assert link.startswith(f"{server}/jinfeng/cases/template.xlsx")
    workbook = tmp_path / "test_jinfeng.cases.xlsx"
    template = case_template("jinfeng", on=dt.date(2018, 8, 30), locale=locale)
    write_case_template(workbook, template)
    browser.find_element(By.ID, "f-cases").send_keys(str(workbook))
    go(browser, "#run-cases")
    assert len(browser.find_elements(By.CSS_SELECTOR, "tr.case.pass")) == len(template.rows)
    assert not browser.find_elements(By.CSS_SELECTOR, "tr.case.fail")


@pytest.mark.parametrize("locale", LOCALES)
def test_what_if_a_change_costs(
    browser: Any, server: str, shot: Shot, jinfeng: edupolicy.Policy, locale: str
) -> None:
    browser.get(f"{server}/jinfeng/what-if?lang={locale}")
    set_value(browser, "#f-on", "2019-09-01")
    amount = browser.find_element(By.ID, "f-amount-primary-poor-grant")
    amount.clear()
    amount.send_keys("600")
    Select(browser.find_element(By.ID, "f-reading-secondary-vocational-subsidy")).select_by_value(
        "secondary-vocational-subsidy=universal"
    )
    browser.find_element(By.ID, "f-reason").send_keys("2019 budget")
    browser.find_element(By.ID, "f-sample").click()
    go(browser, "#compare")
    link = browser.find_element(By.ID, "download-changes").get_attribute("href")
    changes = read_change_text(unquote(link.split(",", 1)[1]), "what-if.changes.toml")
    after = jinfeng.with_readings({"secondary-vocational-subsidy": "universal"}).with_changes(
        changes
    )
    sample = edupolicy_jinfeng.SAMPLE_ROSTER.read_text(encoding="utf-8")
    roster = [json.loads(line) for line in sample.splitlines() if line.strip()]
    diff = jinfeng.diff(roster, dt.date(2019, 9, 1), against=after)
    assert text(browser, "#students") == str(diff.tally.students)
    assert text(browser, "#cash-before") == format_money(diff.tally.cash_before, locale)
    assert text(browser, "#cash-after") == format_money(diff.tally.cash_after, locale)
    assert text(browser, "#gain") == str(diff.tally.overall.gain)
    assert text(browser, "#lose") == str(diff.tally.overall.lose)
    assert len(browser.find_elements(By.CSS_SELECTOR, "svg.chart")) == 3
    students = browser.find_element(By.ID, "download-students").get_attribute("href")
    rows = unquote(students.split(",", 1)[1]).strip().splitlines()
    assert len(rows) - 1 == diff.tally.overall.gain + diff.tally.overall.lose
    assert fits(browser)
    shot(f"what-if-{locale}", "#result")
    browser.set_window_size(820, 1180)
    try:
        assert fits(browser), "usable on a tablet"
        shot(f"what-if-tablet-{locale}", "#result")
    finally:
        browser.set_window_size(1280, 1000)


@pytest.mark.parametrize("locale", LOCALES)
def test_the_audit_at_its_sentences(
    browser: Any, server: str, shot: Shot, jinfeng: edupolicy.Policy, locale: str
) -> None:
    browser.get(f"{server}/jinfeng/audit?lang={locale}")
    findings = jinfeng.check()
    rows = browser.find_elements(By.CSS_SELECTOR, "tr.finding")
    assert len(rows) == len(findings)
    codes = [row.find_element(By.CSS_SELECTOR, "td:nth-child(2)").text for row in rows]
    assert codes == [finding.code for finding in findings]
    shot(f"audit-{locale}")
    go(browser, "tr.finding a.tag")
    assert "/jinfeng/plan" in browser.current_url
    assert browser.find_element(By.ID, browser.current_url.rsplit("#", 1)[1]).is_displayed()
    browser.set_window_size(820, 1180)
    try:
        assert fits(browser), "the plan page is usable on a tablet"
        shot(f"plan-tablet-{locale}")
    finally:
        browser.set_window_size(1280, 1000)
