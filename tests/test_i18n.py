"""Chinese and English: catalogues, locale-aware formatting, and the installed wheel."""

from __future__ import annotations

import datetime as dt
import importlib
import io
import json
import re
import subprocess
import sys
import textwrap
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

import edupolicy
from edupolicy.cli import main
from edupolicy.i18n import (
    Area,
    Count,
    LocaleWarning,
    Message,
    Percent,
    format_area,
    format_count,
    format_day,
    format_money,
    format_percent,
    normalize_locale,
)
from tests.conftest import ON, record

ROOT = Path(__file__).resolve().parent.parent
HAN = re.compile(r"[\u4e00-\u9fff]")


def has_chinese(text: str) -> bool:
    return HAN.search(text) is not None


def code_messages(package: Path) -> list[str]:
    """Every message the code of ``package`` passes to ``_``, as Babel extracts it."""
    found = extract_from_dir(str(package), method_map=[("**.py", "python")], keywords={"_": None})
    return sorted({message for _f, _l, message, _c, _x in found if isinstance(message, str)})


def code_plurals(package: Path) -> list[tuple[str, str]]:
    """Every message that counts, as the code of ``package`` passes it to ``_n``."""
    found = extract_from_dir(
        str(package), method_map=[("**.py", "python")], keywords={"_n": (1, 2)}
    )
    return sorted(
        {(m[0], m[1]) for _f, _l, m, _c, _x in found if isinstance(m, tuple) and len(m) == 2}
    )


@pytest.mark.parametrize(
    "message",
    [
        "Plan {plan} of region {region} has no teacher-incentive rules",
        "a candidate needs an id: ties are broken by id",
    ],
)
def test_a_message_every_surface_gives_is_written_once(message: str) -> None:
    # Written twice, the two copies drift apart (and one is translated, the other not).
    found = extract_from_dir(
        str(ROOT / "src" / "edupolicy"), method_map=[("**.py", "python")], keywords={"_": None}
    )
    places = [f"{path}:{line}" for path, line, text, _c, _x in found if text == message]
    assert len(places) == 1, places


def test_a_message_that_counts_has_its_plural_in_each_language() -> None:
    """``add 1 rural entries`` no more: one form for one, another for other numbers in
    English; one form in Chinese, each translated, the count grouped by thousands."""
    module = importlib.import_module("edupolicy")
    assert module.__file__ is not None
    plurals = code_plurals(Path(module.__file__).parent)
    assert len(plurals) >= 10
    for singular, plural in plurals:
        # Every other parameter, as a word of its own.
        others = tuple(
            (name, "x") for name in re.findall(r"\{(\w+)\}", singular) if name != "count"
        )
        one = Message(singular, (("count", Count(1)), *others), plural=plural)
        many = Message(singular, (("count", Count(5000)), *others), plural=plural)
        assert "1" in one.render("en")
        assert one.render("en") != many.render("en")
        assert "5,000" in many.render("en")
        assert has_chinese(one.render("zh_CN")), singular
        assert has_chinese(many.render("zh_CN")), singular
    entry = Message(
        "or add {count} rural entry to the list as it is",
        (("count", Count(1)),),
        plural="or add {count} rural entries to the list as it is",
    )
    assert entry.render("en") == "or add 1 rural entry to the list as it is"


# --- catalogues --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("package", "domain"),
    [("edupolicy", "edupolicy"), ("edupolicy_jinfeng", "edupolicy_jinfeng")],
)
def test_every_message_of_the_installed_code_has_a_chinese_translation(
    package: str, domain: str
) -> None:
    module = importlib.import_module(package)
    assert module.__file__ is not None
    messages = code_messages(Path(module.__file__).parent)
    assert messages, f"no messages extracted from {package}"
    # A message made only of placeholders and punctuation ("{target} {value}") has no
    # words to translate; every other message must come out in Chinese.
    worded = [m for m in messages if re.search(r"[A-Za-z]", re.sub(r"\{\w+\}", "", m))]
    untranslated = [
        msgid for msgid in worded if not has_chinese(Message(msgid, domain=domain).render("zh_CN"))
    ]
    assert untranslated == []


#: The Chinese catalogues: the core's, the bundled plugin's and the example plugin's.
ZH_CATALOGUES = sorted(
    [
        *ROOT.glob("src/*/locale/zh_CN/LC_MESSAGES/*.po"),
        *ROOT.glob("examples/*/src/*/locale/zh_CN/LC_MESSAGES/*.po"),
    ]
)
#: Chinese text that may stand before punctuation (a Han character, CJK or full-width
#: punctuation, a closing quotation mark) and after it (the same, an opening quotation mark).
_BEFORE = "[\u3000-\u303f\u3400-\u9fff\uff00-\uffef”’]"
_AFTER = "[\u3000-\u303f\u3400-\u9fff\uff00-\uffef“‘]"
#: ASCII punctuation where Chinese prose writes it full-width: an ASCII , ; : ? ! ( or )
#: right after Chinese text (``名额,``, ``比例:{shares}``, ``条目:JSON``, ``用法:``), an
#: ASCII , ; : ( or ) right before it (``{name}:不低于``, ``(缺失``), and the ; that joins
#: two clauses (``{left};{right}``).  ASCII punctuation with ASCII text or a space on both
#: sides is technical and allowed: ``aid:{id}``, ``“::”``, ``{var}={entry_point}``,
#: ``cd {folder}; pip install .``, ``{file}:{line}`` and the ``file:line: message`` head of
#: a case report.
_HALF_WIDTH_IN_CHINESE = re.compile(rf"{_BEFORE}[,;:?!()]|[,;:()]{_AFTER}|\}};\{{")


def test_chinese_messages_use_full_width_punctuation() -> None:
    assert [po.name for po in ZH_CATALOGUES] == [
        "edupolicy_xinyuan.po",
        "edupolicy.po",
        "edupolicy_jinfeng.po",
    ]
    wrong = []
    for po in ZH_CATALOGUES:
        with po.open("rb") as handle:
            catalog = read_po(handle, locale="zh_CN")
        for message in catalog:
            raw = message.string
            strings = [raw] if isinstance(raw, str) else list(raw or ())
            for text in strings:
                if message.id and text and _HALF_WIDTH_IN_CHINESE.search(text):
                    wrong.append(f"{po.name}: {text}")
    assert wrong == []


def test_english_rendering_is_the_message_itself() -> None:
    assert Message("no rule applies").render("en") == "no rule applies"
    assert Message("no rule applies").render("zh_CN") == "没有适用的规则"


def test_placeholders_are_filled_in_both_languages() -> None:
    message = Message("year {min} to {max}", (("min", 2), ("max", 3)))
    assert message.render("en") == "year 2 to 3"
    assert message.render("zh_CN") == "第2至3年"


# --- formatting --------------------------------------------------------------------------


def test_money_is_formatted_per_locale_from_the_decimal() -> None:
    assert format_money(Decimal("1000.00"), "zh_CN") == "¥1,000.00"
    assert format_money(Decimal("1000.00"), "en") == "CN¥1,000.00"
    assert format_money(Decimal("0.01"), "en") == "CN¥0.01"
    # A value that a float cannot hold exactly keeps every digit.
    assert format_money(Decimal("12345678901234.57"), "en") == "CN¥12,345,678,901,234.57"


def test_dates_are_long_dates_per_locale() -> None:
    assert format_day(dt.date(2018, 8, 30), "zh_CN") == "2018年8月30日"
    assert format_day(dt.date(2018, 8, 30), "en") == "August 30, 2018"


@pytest.mark.parametrize(
    ("value", "expected"),
    [(Decimal("98.7"), "98.7%"), (Decimal("120"), "120%"), (Decimal("99"), "99%")],
)
def test_percentages_keep_the_precision_the_plan_states(value: Decimal, expected: str) -> None:
    assert format_percent(value, "en") == expected
    assert format_percent(value, "zh_CN") == expected
    assert Percent(value).render("en") == expected


def test_counts_and_areas() -> None:
    assert format_count(14040, "en") == "14,040"
    assert Count(3150).render("zh_CN") == "3,150"
    assert format_area(426992, "en") == "426,992 m²"
    assert Area(Decimal("47100")).render("zh_CN") == "47,100平方米"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (None, "en"),
        ("", "en"),
        ("en", "en"),
        ("en_US.UTF-8", "en"),
        ("zh", "zh_CN"),
        ("zh-CN", "zh_CN"),
        ("zh_CN.UTF-8", "zh_CN"),
        ("zh_Hans", "zh_CN"),
    ],
)
def test_locale_names_are_normalised(given: str | None, expected: str) -> None:
    assert normalize_locale(given) == expected


def test_an_unsupported_locale_falls_back_to_english_with_a_warning() -> None:
    with pytest.warns(LocaleWarning, match="fr_FR"):
        text = Message("no rule applies").render("fr_FR")
    assert text == "no rule applies"


# --- results are locale-free; rendering chooses the language -----------------------------


def test_one_result_renders_in_both_languages(jinfeng: edupolicy.Policy) -> None:
    result = jinfeng.aid(record(household=["dibao"], boarding=True), ON, explain=True)
    zh = result.to_json("zh_CN")
    en = result.to_json("en")
    assert zh["cash_total"] == en["cash_total"] == "500.00"
    poor = next(item for item in zh["items"] if item["rule"] == "primary-poor-grant")
    assert poor["name"] == "小学贫困生资助金"
    assert poor["explanation"].startswith("小学贫困生资助金：每年¥500.00，因为学段为小学")
    poor_en = next(item for item in en["items"] if item["rule"] == "primary-poor-grant")
    assert poor_en["explanation"].startswith(
        "Primary-school grant for poor students: CN¥500.00 per year, because stage is primary"
    )
    # The source quote is the legal text: verbatim Chinese in every locale.
    assert (
        poor["source"]["quote"] == poor_en["source"]["quote"] == "小学贫困生每生每年发放资助金500元"
    )
    assert not has_chinese(poor_en["source"]["gloss"])
    reasons_zh = [entry["reason"] for entry in zh["not_applied"]]
    assert all(has_chinese(reason) for reason in reasons_zh)


def test_errors_are_in_the_callers_language(jinfeng: edupolicy.Policy) -> None:
    with pytest.raises(edupolicy.InvalidRecordError) as caught:
        jinfeng.aid(record(year=0, boarding="false"), ON, locale="zh_CN")
    text = str(caught.value)
    assert "学生记录无效" in text
    assert "$.year：必须不小于 1" in text
    assert '$.boarding：必须是 true 或 false（实际为 "false"）' in text
    english = caught.value.render("en")
    assert "$.year: must be 1 or more" in english
    assert not has_chinese(english)


def test_unknown_region_and_out_of_period_errors_are_translated(
    jinfeng: edupolicy.Policy,
) -> None:
    with pytest.raises(edupolicy.UnknownRegionError) as unknown:
        edupolicy.load("nowhere", locale="zh_CN")
    assert str(unknown.value).startswith("未知地区")
    assert "jinfeng" in str(unknown.value)
    with pytest.raises(edupolicy.OutOfPeriodError) as outside:
        jinfeng.aid(record(), dt.date(2021, 1, 1), locale="zh_CN")
    assert "2021年1月1日" in str(outside.value)
    assert "No plan of region jinfeng is in force on January 1, 2021" in outside.value.render("en")


# --- the command line ---------------------------------------------------------------------


def run_cli(*argv: str, stdin: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main(list(argv), stdout=out, stderr=err, stdin=io.StringIO(stdin))
    return status, out.getvalue(), err.getvalue()


def test_cli_output_in_chinese_and_english() -> None:
    line = json.dumps(record(household=["dibao"], id="A1"))
    status, zh, _ = run_cli(
        "--locale", "zh_CN", "aid", "--region", "jinfeng", "--on", "2019-09-01", "-", stdin=line
    )
    assert status == 0
    assert "地区 jinfeng，方案 金教发〔2018〕410号，日期 2019年9月1日" in zh
    assert re.search(r"小学贫困生资助金 +每年¥500\.00 +二\(一\)1", zh)
    status, en, _ = run_cli(
        "--locale", "en", "aid", "--region", "jinfeng", "--on", "2019-09-01", "-", stdin=line
    )
    assert status == 0
    assert "Region jinfeng, plan 金教发〔2018〕410号, on September 1, 2019" in en
    assert re.search(r"Primary-school grant for poor students +CN¥500\.00 per year", en)


def test_cli_locale_defaults_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    status, out, _ = run_cli("regions")
    assert status == 0
    assert "银川市金凤区" in out
    monkeypatch.setenv("LANG", "C.UTF-8")
    status, out, _ = run_cli("regions")
    assert "Jinfeng District, Yinchuan" in out


def test_cli_unsupported_locale_warns_and_uses_english() -> None:
    status, out, err = run_cli("--locale", "fr", "regions")
    assert status == 0
    assert "Jinfeng District, Yinchuan" in out
    assert "warning: locale fr is not supported; using en" in err


def test_cli_errors_are_translated() -> None:
    status, _, err = run_cli(
        "--locale",
        "zh_CN",
        "aid",
        "--region",
        "jinfeng",
        "--on",
        "2019-09-01",
        "-",
        stdin='{"stage": "primary", "year": "3"}',
    )
    assert status == 1
    assert '<stdin>: $.year：必须是整数（实际为 "3"）' in err
    assert "<stdin>: $.school_area：缺少必填字段" in err


def test_cli_help_is_translated(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--locale", "zh_CN", "aid", "--help"])
    assert "同时列出未适用的规则及其原因" in capsys.readouterr().out


# --- the built and installed wheel really translates ---------------------------------------


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(ROOT)],
        check=True,
    )
    (built,) = out.glob("edupolicy-*.whl")
    return built


@pytest.mark.slow
def test_the_wheel_ships_compiled_catalogues(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "edupolicy/locale/zh_CN/LC_MESSAGES/edupolicy.mo" in names
    assert "edupolicy_jinfeng/locale/zh_CN/LC_MESSAGES/edupolicy_jinfeng.mo" in names
    assert "edupolicy_jinfeng/plan.toml" in names
    assert "edupolicy/py.typed" in names
    assert "edupolicy_jinfeng/py.typed" in names


@pytest.mark.slow
def test_the_installed_wheel_translates(wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", str(wheel)],
        check=True,
    )
    script = textwrap.dedent(
        """
        import datetime, json, edupolicy
        policy = edupolicy.load("jinfeng")
        on = datetime.date(2019, 9, 1)
        result = policy.aid({"stage": "primary", "year": 1, "school_area": "rural",
                             "household": ["dibao"]}, on)
        out = {"file": edupolicy.__file__}
        for loc in ("zh_CN", "en"):
            out["explanation_" + loc] = result.to_json(loc)["items"][-1]["explanation"]
            try:
                policy.aid({"stage": "primary", "year": 0, "school_area": "rural"}, on,
                           locale=loc)
            except edupolicy.InvalidRecordError as exc:
                out["error_" + loc] = str(exc)
        print(json.dumps(out))
        """
    )
    completed = subprocess.run(
        [str(python), "-I", "-c", script],
        check=True,
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    out = json.loads(completed.stdout)
    assert str(venv) in out["file"]
    assert has_chinese(out["explanation_zh_CN"].split("：", 1)[1])
    assert "每年¥500.00" in out["explanation_zh_CN"]
    assert "必须不小于 1" in out["error_zh_CN"]
    assert out["explanation_en"].startswith("Primary-school grant for poor students: CN¥500.00")
    assert not has_chinese(out["error_en"])
