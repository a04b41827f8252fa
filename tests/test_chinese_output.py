"""Chinese output is Chinese: every command and every error, run under ``--locale zh_CN``,
is scanned for English prose that was not translated.

What may stay in Latin letters: ids (``primary-poor-grant``), the JSON boundary's
words (``rural``, ``dibao``), file names, options and commands, the region's name,
schema and format names.  What may not: three or more English words in a row, such as
Python's own ``No such file or directory`` or json's ``Expecting ',' delimiter``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from edupolicy.aid import Household, Stage
from edupolicy.cases import CSV_COLUMNS
from edupolicy.cases.keys import CASE_KEYS
from edupolicy.i18n import Message
from edupolicy.server import create_app
from edupolicy.teachers import Title
from edupolicy.values import SchoolArea
from tests.clitools import Run, run

#: Two words or more of English letters in a row (not ids: no digit, - or _ inside).
PROSE = re.compile(r"(?<![\w\-./])[A-Za-z]{2,}(?:[ ,']+[A-Za-z]{2,})+(?![\w\-./])")
#: Words that are not prose in any language: names, formats, the JSON boundary's words.
NOT_PROSE = {
    "JSON", "CSV", "TOML", "UTF", "GBK", "GB", "Excel", "CN", "HTTP", "ID", "CHOICE",
    "Dask", "DataFrame", "pandas", "pyarrow", "Table", "RecordBatch",
    # The English names of places, as a region names itself: Helan County, Jinfeng District.
    "County", "District",
    *(word for key in (*CASE_KEYS, *CSV_COLUMNS) for word in key.split("_")),
    *(word.value for words in (Stage, Household, SchoolArea, Title) for word in words),
}  # fmt: skip


def english_prose(text: str) -> list[str]:
    """The runs of English words in ``text`` that are prose left untranslated."""
    found = []
    for match in PROSE.finditer(text):
        words = re.findall(r"[A-Za-z]+", match.group())
        if sum(word not in NOT_PROSE for word in words) >= 2:
            found.append(match.group())
    return found


def test_the_scan_finds_english_prose() -> None:
    assert english_prose("错误：无法读取 a.json：[Errno 2] No such file or directory")
    assert english_prose("不是有效的 JSON：Expecting ',' delimiter")
    assert not english_prose("规则 primary-poor-grant 适用于 rural 学生；见 test_aid.cases.toml")


ON = ("--on", "2019-09-01")
REGION = ("--region", "jinfeng")


def _files(folder: Path) -> dict[str, Path]:
    """Input files, good and bad, for the commands."""
    files = {
        "roster.jsonl": '{"id": "S1", "stage": "primary", "year": 3, "school_area": "rural"}\n'
        '{"id": "S2", "stage": "primry", "year": 3}\n{"id": "S3", "year": }\n',
        "roster.csv": "id,stage,year,school_area\nS1,primary,3,rural\nS2,primary,3\n",
        "teachers.jsonl": json.dumps(
            {
                "id": "T1",
                "title": "junior",
                "service": [{"school_area": "rural", "start": "2000-09-01"}],
            }
        )
        + "\n",
        "awards.json": json.dumps([{"id": "A1", "school_area": "urban"}]),
        "figures.json": '{"schools": 30, "schols": 1}',
        "broken.json": '{"schools": 30 "x": 1}',
        "changes.toml": '[[change]]\nrule = "primary-poor-grnat"\nremove = true\nreason = "r"\n',
        "bad.toml": "[[change]\nrule = 1\n",
    }
    paths = {}
    for name, text in files.items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        paths[name] = path
    (folder / "gbk.csv").write_bytes("id,stage\n学生,primary\n".encode("gbk"))
    paths["gbk.csv"] = folder / "gbk.csv"
    return paths


#: Each command line, given the input files; the good runs and the bad.
COMMANDS: list[tuple[str, Callable[[dict[str, Path]], list[str]]]] = [
    ("regions", lambda f: ["regions"]),
    ("readings", lambda f: ["readings", *REGION]),
    ("aid", lambda f: ["aid", *REGION, *ON, "--explain", str(f["roster.jsonl"])]),
    ("aid csv", lambda f: ["aid", *REGION, *ON, str(f["roster.csv"])]),
    ("aid gbk", lambda f: ["aid", *REGION, *ON, str(f["gbk.csv"])]),
    ("aid sample", lambda f: ["aid", *REGION, *ON, "--sample", "--summary"]),
    ("aid missing file", lambda f: ["aid", *REGION, *ON, "absent.json"]),
    ("aid bad changes", lambda f: ["aid", *REGION, *ON, "--changes", str(f["changes.toml"]), "-"]),
    ("aid broken changes", lambda f: ["aid", *REGION, *ON, "--changes", str(f["bad.toml"]), "-"]),
    ("aid unknown region", lambda f: ["aid", "--region", "nowhere", *ON, "-"]),
    ("aid out of period", lambda f: ["aid", *REGION, "--on", "1999-01-01", "-"]),
    ("aid bad reading", lambda f: ["aid", *REGION, *ON, "--reading", "x=y", "-"]),
    ("teacher", lambda f: ["teacher", *REGION, *ON, "--explain", str(f["teachers.jsonl"])]),
    (
        "select",
        lambda f: [
            "select",
            *REGION,
            "--programme",
            "sanatorium",
            "--year",
            "2019",
            str(f["teachers.jsonl"]),
        ],
    ),
    ("check-awards", lambda f: ["check-awards", *REGION, *ON, str(f["awards.json"])]),
    ("progress", lambda f: ["progress", *REGION, "--year", "2019", str(f["figures.json"])]),
    ("progress broken", lambda f: ["progress", *REGION, "--year", "2019", str(f["broken.json"])]),
    ("check", lambda f: ["check", "jinfeng"]),
    ("budget", lambda f: ["budget", *REGION, *ON, str(f["roster.jsonl"])]),
    (
        "diff",
        lambda f: [
            "diff",
            *REGION,
            *ON,
            "--reading",
            "secondary-vocational-subsidy=universal",
            str(f["roster.jsonl"]),
        ],
    ),
    ("schema list", lambda f: ["schema", "--list"]),
    ("case-template exists", lambda f: ["case-template", "jinfeng", str(f["roster.csv"])]),
]


@pytest.mark.parametrize(("name", "argv"), COMMANDS, ids=[name for name, _argv in COMMANDS])
def test_chinese_output_has_no_english_prose(
    name: str, argv: Callable[[dict[str, Path]], list[str]], tmp_path: Path
) -> None:
    files = _files(tmp_path)
    result: Run = run("--locale", "zh_CN", *argv(files))
    text = result.out + result.err
    assert text.strip(), name
    assert english_prose(text) == [], f"{name}:\n{text}"


def test_chinese_help_of_every_command_has_no_english_prose(
    capsys: pytest.CaptureFixture[str],
) -> None:
    names = [
        "regions", "readings", "new-region", "case-template", "aid", "progress", "check",
        "teacher", "select", "check-awards", "diff", "budget", "schema", "serve", "ask",
    ]  # fmt: skip
    for command in names:
        with pytest.raises(SystemExit):
            run("--locale", "zh_CN", command, "--help")
        text = capsys.readouterr().out
        assert english_prose(text) == [], f"{command} --help:\n{text}"


def test_every_message_of_the_catalogue_is_chinese_prose_in_chinese() -> None:
    """No Chinese message of edupolicy's catalogue keeps three English words in a row."""
    from babel.messages.pofile import read_po

    po = (
        Path(__file__).resolve().parent.parent
        / "src/edupolicy/locale/zh_CN/LC_MESSAGES/edupolicy.po"
    )
    with po.open("rb") as stream:
        catalog = read_po(stream, locale="zh_CN")
    left: list[str] = []
    for message in catalog:
        if not message.id:
            continue  # the header
        found = message.string
        strings = [found] if isinstance(found, str) else [s for s in found or () if s]
        for text in strings:
            # Placeholders, quoted words, options and commands are not prose.
            bare = re.sub(
                r"\{\w+\}|“[^”]*”|\"[^\"]*\"|'[^']*'|`[^`]*`|--[\w-]+|pip install \S+|pytest \S+"
                r"|edupolicy [a-z-]+|[A-Za-z_]+=[A-Za-z_]+",
                "",
                text,
            )
            if english_prose(bare):
                left.append(text)
    assert left == [], "\n".join(left)


def test_one_word_for_plan() -> None:
    """方案 is "plan" in every Chinese message; 计划 only in 计划生育 (family planning)."""
    text = (
        Path(__file__).resolve().parent.parent
        / "src/edupolicy/locale/zh_CN/LC_MESSAGES/edupolicy.po"
    ).read_text(encoding="utf-8")
    strings = [line for line in text.splitlines() if line.startswith("msgstr")]
    assert [s for s in strings if "计划" in s.replace("计划生育", "")] == []
    assert sum("方案" in s for s in strings) >= 70
    assert (
        Message("Plan {plan} has no such reading", (("plan", "p"),)).render("zh_CN").count("方案")
    )


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("test_bad.cases.toml", b'region = "jinfeng"\n[[case]\nname = "x"\n'),
        ("test_bad.cases.toml", b'region = "jinfeng"\nname = x\n'),
        ("test_bad.cases.csv", "name,region,on\n农村学生,jinfeng,2019-09-01\n".encode("gbk")),
        ("test_bad.cases.csv", b'name,region,on\n"a,jinfeng\n'),
        ("test_bad.cases.xlsx", b"not a workbook"),
        (
            "test_bad.cases.toml",
            b'region = "jinfeng"\nchanges = "absent.toml"\n[[case]]\nname = "x"\n',
        ),
    ],
    ids=["toml header", "toml value", "gbk", "csv quotes", "xlsx", "change file"],
)
def test_a_bad_case_file_is_reported_in_chinese(tmp_path: Path, name: str, data: bytes) -> None:
    from edupolicy.cases import CaseFileError, read_cases

    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(CaseFileError) as caught:
        read_cases(path, locale="zh_CN")
    text = caught.value.render("zh_CN")
    assert english_prose(text) == [], text


#: Requests the service refuses, each with what it sends: malformed JSON, a date with no
#: plan, a bad record, an unknown region, address, parameter and method, a roster with a
#: bad record, a bad byte and a malformed line.
REFUSED: list[tuple[str, str, dict[str, object]]] = [
    ("POST", "/regions/jinfeng/aid?on=2019-09-01", {"content": b"{bad"}),
    ("POST", "/regions/jinfeng/aid?on=2030-01-01", {"json": {"stage": "primary", "year": 1}}),
    ("POST", "/regions/jinfeng/aid?on=2019-09-01", {"json": {"stage": "primry", "year": 1}}),
    ("GET", "/regions/nope/readings", {}),
    ("GET", "/nothing", {}),
    ("POST", "/regions/jinfeng/aid?bogus=1", {"json": {}}),
    ("POST", "/regions/jinfeng/select?year=2019", {"json": []}),
    ("DELETE", "/regions/jinfeng/aid", {}),
    (
        "POST",
        "/regions/jinfeng/aid/roster?on=2019-09-01",
        {"content": b'{"stage": "primary"}\n\xff\n{bad\n'},
    ),
]


@pytest.mark.parametrize(("method", "url", "body"), REFUSED, ids=[url for _m, url, _b in REFUSED])
def test_the_services_refusals_in_chinese_have_no_english_prose(
    method: str, url: str, body: dict[str, object]
) -> None:
    with TestClient(create_app(["jinfeng"])) as client:
        answer = client.request(method, url, headers={"Accept-Language": "zh-CN"}, **body)  # type: ignore[arg-type]
    problems = [json.loads(line) for line in answer.text.splitlines() if line.strip()]
    assert problems, url
    for problem in problems:
        assert problem["type"].startswith("urn:edupolicy:problem:"), problem
        words = [problem["title"], problem["detail"]]
        words += [error["message"] for error in problem["errors"]]
        assert english_prose("\n".join(words)) == [], f"{url}: {problem}"
