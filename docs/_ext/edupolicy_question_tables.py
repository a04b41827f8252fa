"""The docs' tables of the questions a policy answers, made from their declarations.

The HTTP service's operations (``docs/server.md``) and the questions of ``edupolicy
ask`` (``docs/cli.md``) are listed in tables that this module writes from
:data:`edupolicy.policy.questions.QUESTIONS` when the site is built, so a question
declared later is in both tables with no edit of the docs.  A page asks for a table
with a fenced block naming the surface::

    ```{edupolicy-questions} http
    ```

:func:`table` renders the table of a surface (MyST Markdown) for a list of questions;
:func:`expand` replaces each such block of a page with its table; :func:`setup` makes
this module a Sphinx extension that expands the blocks as each page is read.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import edupolicy
from edupolicy.cli._options import METAVARS, option_name
from edupolicy.policy.questions import QUESTIONS, Param, Question
from edupolicy.server.operations import JSON_LINES, Operation, operations
from edupolicy.server.operations import Param as QueryParam

__all__ = ["SURFACES", "expand", "table"]

#: A block that asks for a table: ```` ```{edupolicy-questions} SURFACE ```` then ```` ``` ````.
_BLOCK = re.compile(r"^```\{edupolicy-questions\}[ \t]*(\S*)[ \t]*\n```[ \t]*$", re.MULTILINE)


def _text(text: str) -> str:
    """``text`` on one line, as a cell of a Markdown table."""
    return " ".join(text.split()).replace("|", r"\|")


def _code(text: str) -> str:
    return f"`{text}`"


def _names(names: Iterable[tuple[str, bool]]) -> str:
    """``name`` (required), ``other``: the parameters of a row."""
    return ", ".join(_code(name) + (" (required)" if required else "") for name, required in names)


def _row(cells: Sequence[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _rows(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    lines = [_row(header), _row(["---"] * len(header)), *(_row(cells) for cells in rows)]
    return "\n".join(lines) + "\n"


def _body(operation: Operation, by_id: dict[str, Question]) -> str:
    """What the body of ``operation`` is: its question's subject, or its schema."""
    asked = by_id.get(operation.id)
    if asked is not None and asked.subject is not None:
        return _text(asked.subject.description.render("en"))
    if operation.body is None:
        return ""
    if operation.body_media == JSON_LINES:
        return f"JSON Lines, each of schema {_code(operation.body)}"
    return f"schema {_code(operation.body)}"


def _answer(operation: Operation) -> str:
    if operation.result_media == JSON_LINES:
        return f"JSON Lines, each of schema {_code(operation.result)}"
    return _code(operation.result)


def _query(param: QueryParam) -> str:
    """``on=YYYY-MM-DD``: a query parameter and the placeholder of its value (a flag is
    ``true`` or ``false``, as the page says)."""
    if param.kind == "flag":
        return param.name
    placeholder = "ID=CHOICE" if param.kind == "reading" else METAVARS[param.kind]
    return f"{param.name}={placeholder}"


def http_table(questions: Sequence[Question] = QUESTIONS) -> str:
    """The HTTP service's operations: the regions and readings, then one per question,
    each with its query parameters, its body and the schema of its answer."""
    by_id = {asked.id: asked for asked in questions}
    return _rows(
        ("operation", "what it answers", "query", "body", "answer (its schema)"),
        (
            (
                _code(f"{operation.method} {operation.path}"),
                _text(operation.summary),
                _names((_query(param), param.required) for param in operation.params),
                _body(operation, by_id),
                _answer(operation),
            )
            for operation in operations(questions)
        ),
    )


def _option(param: Param) -> str:
    """``--on YYYY-MM-DD``: the option of ``param`` as ``--help`` shows it."""
    name = option_name(param.name)
    return name if param.kind == "flag" else f"{name} {METAVARS[param.kind]}"


def cli_table(questions: Sequence[Question] = QUESTIONS) -> str:
    """The questions of ``edupolicy ask``: each one's options and its ``FILE``."""
    return _rows(
        ("question", "what it answers", "options", "FILE"),
        (
            (
                _code(asked.path),
                _text(asked.summary.render("en")),
                _names((_option(param), param.required) for param in asked.params),
                _text(asked.subject.description.render("en")) if asked.subject is not None else "",
            )
            for asked in questions
        ),
    )


#: The table of each surface, by the name a block gives.
SURFACES: dict[str, Callable[[Sequence[Question]], str]] = {"http": http_table, "cli": cli_table}


def table(surface: str, questions: Sequence[Question] = QUESTIONS) -> str:
    """The table of ``surface`` (``http`` or ``cli``) for ``questions``, as Markdown."""
    render = SURFACES.get(surface)
    if render is None:
        raise ValueError(
            f"no table of the questions for {surface!r}; surfaces: {', '.join(SURFACES)}"
        )
    return render(questions)


def expand(page: str, questions: Sequence[Question] = QUESTIONS) -> str:
    """``page`` (MyST Markdown) with each ``{edupolicy-questions}`` block replaced by
    its table."""
    return _BLOCK.sub(lambda found: table(found.group(1), questions).rstrip("\n"), page)


def _source_read(app: Any, docname: str, source: list[str]) -> None:
    source[0] = expand(source[0])


def setup(app: Any) -> dict[str, Any]:
    """The Sphinx extension: expand the blocks of the questions' tables as pages are read."""
    app.connect("source-read", _source_read)
    return {"version": edupolicy.__version__, "parallel_read_safe": True}
