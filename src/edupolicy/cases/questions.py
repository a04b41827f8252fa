"""Cases of any declared question: ``question = "budget"``, what it is asked about, and
the parts of its answer that are expected.

Every question a policy answers (:data:`~edupolicy.policy.questions.QUESTIONS`) can be
checked by a case table, with no code of its own here: a case names the question,
gives what it is asked about (``about``) and its parameters (``on`` and ``year`` as for
every case, the others in ``params``), and expects parts of the answer's JSON
(``answer``): each value given must be the answer's at that place; what is not given is
not checked.  A question an installed plugin adds (hook ``edupolicy_questions``) is
checked the same way.
"""

from __future__ import annotations

import datetime as _dt
import json
from collections.abc import Iterator, Mapping
from typing import Any

import attrs

from edupolicy.cases.checks import Check
from edupolicy.cases.problems import Problems, Where
from edupolicy.errors import MISSING, InvalidDataError
from edupolicy.i18n import _
from edupolicy.plugins.registry import default_registry
from edupolicy.policy.questions import Question

__all__ = ["QuestionCase", "answer_checks", "read_question_case"]


@attrs.frozen(kw_only=True)
class QuestionCase:
    """What a case of a declared question asks: the question, its subject, its
    parameters, and the parts of the answer it expects."""

    question: Question
    #: What the question is asked about, as written (``None``: a question of the plans).
    about: object
    #: The parameters, read as the question declares them (dates as dates).
    params: Mapping[str, Any]
    #: The parts of the answer's JSON expected (dates as ``YYYY-MM-DD``): a table of
    #: the members given, or a list of as many items as the answer has.
    answer: Any


def _find(problems: Problems, where: Where, value: object) -> Question | None:
    try:
        return default_registry().question(value)
    except InvalidDataError as exc:
        problems.at(where, "question", value, exc.problems[0].message)
    return None


def read_question_case(
    problems: Problems,
    where: Where,
    raw: Mapping[str, Any],
    on: _dt.date | None,
    year: int | None,
) -> QuestionCase | None:
    """The question case ``raw`` (at ``where``), its date and year those in force for
    it; ``None`` after reporting its problems."""
    before = len(problems)
    declared = _find(problems, where, raw["question"])
    if declared is None:
        return None
    subject = declared.subject
    if subject is None and "about" in raw:
        problems.at(
            where,
            "about",
            raw["about"],
            _("the question {question} is asked about nothing", question=declared.id),
        )
    elif subject is not None and "about" not in raw:
        problems.problem(
            where.line,
            where.name("about"),
            MISSING,
            _("give what the question is asked about: {subject}", subject=subject.description),
        )
    given = raw.get("params", {})
    if not isinstance(given, Mapping):
        problems.at(where, "params", given, _("must be a table of the question's parameters"))
        given = {}
    # The case's date and year stand for the question's parameters of those names,
    # unless ``params`` gives them.
    declared_names = {param.name for param in declared.params}
    params: dict[str, Any] = {
        key: value
        for key, value in (("on", on), ("year", year))
        if value is not None and key in declared_names
    }
    params.update(given)
    try:
        params = declared.check_params(params, locale=problems.locale)
    except InvalidDataError as exc:
        for problem in exc.problems:
            name = problem.path
            field = f"params.{name}" if name in given or name not in ("on", "year") else name
            if problem.value is MISSING:
                problems.problem(where.line, where.name(field), MISSING, problem.message)
            else:
                problems.at(where, field, problem.value, problem.message)
    answer = raw.get("answer")
    if answer is not None and (not isinstance(answer, (Mapping, list)) or not answer):
        problems.at(
            where, "answer", answer, _("must be a table (or a list) of the parts of the answer")
        )
    if len(problems) > before:
        return None
    return QuestionCase(
        question=declared,
        about=raw.get("about"),
        params=params,
        answer=None if answer is None else _as_json(answer),
    )


def _as_json(value: Any) -> Any:
    """What a case file writes, as the answer's JSON writes it: a date as text."""
    if isinstance(value, Mapping):
        return {key: _as_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_as_json(item) for item in value]
    if isinstance(value, _dt.date):
        return value.isoformat()
    return value


def _shown(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=False)


def _compared(expected: Any, actual: Any, path: str) -> Iterator[tuple[str, Any, Any, bool]]:
    """(path, expected, actual, whether they agree) of each value ``expected`` gives."""
    if isinstance(expected, Mapping):
        if not isinstance(actual, Mapping):
            yield path, expected, actual, False
            return
        for key, item in expected.items():
            if key not in actual:
                yield f"{path}.{key}", item, MISSING, False
            else:
                yield from _compared(item, actual[key], f"{path}.{key}")
        return
    if isinstance(expected, list):
        if not isinstance(actual, list) or len(actual) != len(expected):
            yield path, expected, actual, False
            return
        for index, (item, found) in enumerate(zip(expected, actual, strict=True)):
            yield from _compared(item, found, f"{path}[{index}]")
        return
    same = expected == actual and type(expected) is type(actual)
    yield path, expected, actual, same


def answer_checks(expected: Any, actual: object, line: int) -> list[Check]:
    """A check of each value ``expected`` gives of the answer ``actual``."""
    return [
        Check(
            field=path,
            line=line,
            expected=_shown(wanted),
            actual=_("absent") if found is MISSING else _shown(found),
            passed=passed,
        )
        for path, wanted, found, passed in _compared(expected, actual, "answer")
    ]
