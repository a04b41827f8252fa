"""What the parsers of TOML, JSON and CSV, and a failed decoding, say, in edupolicy's words.

Python's parsers explain a mistake in English of their own (``Expecting ',' delimiter``,
``Invalid statement (at line 3, column 1)``), whatever the caller's language.  Each
known explanation has a message here, translated like every other; one not known is
named only by where it is.  Every reader of text (case tables, plan and change files,
the command line's records) reports its parser's errors through these functions.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Final

from edupolicy._lazy import lazy_module
from edupolicy.i18n import Message, _

# What TOML's reader raised is told apart only once it has raised.
if TYPE_CHECKING:
    import tomllib
else:
    tomllib = lazy_module("tomllib")

__all__ = ["csv_problem", "json_problem", "not_utf8", "not_utf8_stream", "toml_problem"]

_TOML_AT: Final = re.compile(r"\s*\((?:at line ([0-9]+), column ([0-9]+)|at end of document)\)\s*$")

#: tomllib's explanations (Python 3.11 to 3.13), each with edupolicy's own words.
_TOML: Final[tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], Message]], ...]] = (
    (re.compile(r"Cannot overwrite a value"), lambda m: _("a key is given a second value")),
    (
        re.compile(r"Escaped character is not a Unicode scalar value"),
        lambda m: _("an escape that stands for no character"),
    ),
    (
        re.compile(r"Expected '=' after a key in a key/value pair"),
        lambda m: _("“=” is missing after a key (text needs quotes)"),
    ),
    (
        re.compile(r"Expected '\]' at the end of a table declaration"),
        lambda m: _("“]” is missing at the end of a [table] header"),
    ),
    (
        re.compile(r"Expected '\]\]' at the end of an array declaration"),
        lambda m: _("“]]” is missing at the end of a [[table]] header"),
    ),
    (re.compile(r"Invalid date or datetime"), lambda m: _("not a valid date or time")),
    (re.compile(r"Invalid hex value"), lambda m: _("an escape with a bad hexadecimal number")),
    (
        re.compile(r"Invalid initial character for a key part"),
        lambda m: _("a key starts with a character a key cannot start with"),
    ),
    (
        re.compile(r"Invalid statement"),
        lambda m: _("a line that is neither “key = value” nor a [table] header"),
    ),
    (
        re.compile(r"Invalid value"),
        lambda m: _("a value that TOML cannot read (text needs quotes)"),
    ),
    (re.compile(r"Unclosed array"), lambda m: _("a list “[ … ]” is not closed")),
    (re.compile(r"Unclosed inline table"), lambda m: _("a table “{ … }” is not closed")),
    (
        re.compile(r"Unescaped '\\' in a string"),
        lambda m: _("a backslash in text must be written twice"),
    ),
    (re.compile(r"Unterminated string"), lambda m: _("a string is not closed")),
    (
        re.compile(r"Expected newline or end of document after a statement"),
        lambda m: _("more follows a value on its line"),
    ),
    (re.compile(r"Cannot declare (.+) twice"), lambda m: _("{key} is declared twice", key=m[1])),
    (
        re.compile(r"Cannot (?:mutate immutable|redefine) namespace (.+)"),
        lambda m: _("{key} is defined already", key=m[1]),
    ),
    (
        re.compile(r"Duplicate inline table key '(.+)'"),
        lambda m: _("the key {key} appears twice", key=m[1]),
    ),
    (re.compile(r"Expected '(.+)'"), lambda m: _("“{text}” is expected here", text=m[1])),
    (
        re.compile(r"(?:Found invalid|Illegal) character '(.+)'"),
        lambda m: _("the character {char} cannot be here", char=m[1]),
    ),
)

#: json's explanations, each with edupolicy's own words.
_JSON: Final[dict[str, Message]] = {
    "Expecting value": _("a value is missing, or is not JSON (text needs double quotes)"),
    "Expecting ',' delimiter": _("a comma is missing"),
    "Expecting ':' delimiter": _("a colon is missing after a key"),
    "Expecting property name enclosed in double quotes": _(
        "a key must be text in double quotes (or a comma is left over)"
    ),
    "Extra data": _("more follows the end of the value"),
    "Unterminated string starting at": _("a string is not closed"),
    "Invalid control character at": _("a string holds a line break or a control character"),
    "Invalid \\escape": _("a string holds a backslash that is no escape"),
    "Invalid \\uXXXX escape": _("a string holds a backslash that is no escape"),
    "Illegal trailing comma before end of object": _("a comma is left over"),
    "Illegal trailing comma before end of array": _("a comma is left over"),
}


def toml_problem(exc: Exception) -> tuple[int, Message]:
    """The line of a TOML parse error (1 when it names none) and what is wrong with it.

    ``exc`` is what ``tomllib.loads`` raised: a decode error, a :class:`ValueError` for a
    number too long to read, or a :class:`RecursionError` for nesting too deep.
    """
    if isinstance(exc, RecursionError):
        return 1, _("nests arrays or tables too deeply to read")
    if not isinstance(exc, tomllib.TOMLDecodeError):
        return 1, _("holds a number too long to read")
    text = str(exc)
    at = _TOML_AT.search(text)
    line = int(at[1]) if at is not None and at[1] else 1
    said = _TOML_AT.sub("", text)
    for pattern, make in _TOML:
        found = pattern.fullmatch(said)
        if found is not None:
            problem = make(found)
            break
    else:
        problem = _("a mistake of TOML syntax")
    if at is not None and at[2]:
        return line, _(
            "not valid TOML: {problem} (column {column})", problem=problem, column=int(at[2])
        )
    if at is not None:
        return line, _("not valid TOML: {problem} (at the end)", problem=problem)
    return line, _("not valid TOML: {problem}", problem=problem)


def json_problem(exc: Exception) -> Message:
    """What is wrong with a JSON text that ``json.loads`` refused with ``exc``."""
    if isinstance(exc, json.JSONDecodeError):
        problem = _JSON.get(exc.msg, _("a mistake of JSON syntax"))
        return _(
            "{problem} (line {line}, column {column})",
            problem=problem,
            line=exc.lineno,
            column=exc.colno,
        )
    if isinstance(exc, RecursionError) or "nested too deeply" in str(exc):
        return _("nested too deeply to read")
    return _("holds a number too long to read")


def csv_problem(exc: csv.Error) -> Message:
    """What is wrong with a CSV text that :mod:`csv` refused with ``exc``."""
    said = str(exc)
    if said.startswith("field larger than field limit"):
        return _("a cell is longer than {limit} characters", limit=csv.field_size_limit())
    if "new-line character seen in unquoted field" in said:
        return _("a line break that is not inside quotes")
    if "NUL" in said:
        return _("a line holds a NUL character")
    if said == "unexpected end of data":
        return _("the file ends inside quotes")
    return _("a cell's quotes are not closed or not followed by a comma")


def not_utf8(data: bytes, exc: UnicodeDecodeError) -> Message:
    """Why ``data`` is not UTF-8 text, with its line, and how to save it as UTF-8.

    A text that reads as GB18030 (of which GBK is a part) is probably what Excel saves
    as "CSV" on a Chinese Windows: the message says to save it as "CSV UTF-8".  It is
    not read as GB18030: nearly any bytes read as some GB18030 text, so a file in yet
    another encoding would be read as the wrong characters without a word.
    """
    line = data[: exc.start].count(b"\n") + 1
    try:
        data.decode("gb18030")
    except UnicodeDecodeError:
        return _("the file is not UTF-8 text (line {line}); save it as UTF-8", line=line)
    return _(
        "the file is not UTF-8 text (line {line}); it looks like GBK/GB18030, which "
        "Excel writes as “CSV” on a Chinese Windows: save it as “CSV UTF-8” instead",
        line=line,
    )


def not_utf8_stream() -> Message:
    """Why a stream read as it comes is not UTF-8 text, and how to save it as UTF-8."""
    return _(
        "the input is not UTF-8 text; a table Excel saves as “CSV” on a Chinese Windows "
        "is GBK: save it as “CSV UTF-8” instead"
    )
