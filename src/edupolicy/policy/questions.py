"""The questions a policy answers, each declared once.

A :class:`Question` states what a question is asked about (its :class:`Subject`: one
record, a list of records, figures, or nothing), the parameters it takes (a date, a
year, a flag, an id), the JSON Schema of its answer, and how it is answered (a
function over the policy asked).  The HTTP service's operations and OpenAPI
document and the command line's ``edupolicy ask`` are made from :data:`QUESTIONS`, so
a new question is one declaration plus its domain code::

    Question(
        id="aid",
        path="aid",
        summary=_("The aid of one student under the plan in force on a date"),
        subject=Subject(name="student", schema="student", shape="object", ...),
        params=(ON, EXPLAIN),
        result="aid-result",
        answer=lambda asked: asked.policy.aid(asked.subject, **asked.params),
    )

Each question keeps its typed :class:`~edupolicy.Policy` method (``Policy.aid``), which
its declaration calls.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal

import attrs

# A roster's analysis (whose views give the budget's and the diff's schemas) is imported
# when a schema is first read: the plugins declare questions whenever a region loads.
from edupolicy import analysis
from edupolicy.errors import MISSING, FieldProblem, InvalidDataError, InvalidRecordError, nearest
from edupolicy.i18n import Message, _
from edupolicy.values import parse_date

if TYPE_CHECKING:
    from edupolicy.policy.policy import Policy

__all__ = [
    "EXPLAIN",
    "ON",
    "QUESTIONS",
    "SHARE",
    "Asked",
    "Param",
    "ParamKind",
    "Question",
    "Shape",
    "Subject",
    "question",
    "read_param",
    "read_param_text",
]

#: How a parameter is written at the boundary: a date (``YYYY-MM-DD``), a whole
#: number, a flag (``true`` or ``false``), or an id.
ParamKind = Literal["date", "int", "flag", "text"]
#: A whole number as text: up to nine digits.
_WHOLE = re.compile(r"[0-9]{1,9}")
#: What a question is asked about: one JSON object, a list of them, or figures (an
#: object of indicator ids or a list of observations).
Shape = Literal["object", "list", "figures"]


@attrs.frozen
class Param:
    """A parameter of a question: its name (the keyword of its ``Policy`` method, the
    query parameter of its HTTP operation), how it is written, and what it means."""

    name: str
    kind: ParamKind
    description: Message
    required: bool = False

    def _read(self, value: object) -> tuple[object, Message | None]:
        return read_param(self.kind, value)


def read_param(kind: ParamKind, value: object) -> tuple[object, Message | None]:
    """``value`` read as a parameter of ``kind`` (a date written ``YYYY-MM-DD`` as a
    date), and ``None``; or what is wrong with it.  Nothing else is coerced."""
    if kind == "date":
        day = parse_date(value) if isinstance(value, str) else value
        if isinstance(day, _dt.date) and not isinstance(day, _dt.datetime):
            return day, None
        return value, _("must be a date (YYYY-MM-DD)")
    if kind == "int":
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            return value, None
        return value, _("must be a whole number, 0 or more")
    if kind == "flag":
        if isinstance(value, bool):
            return value, None
        return value, _("must be true or false")
    if isinstance(value, str) and value.strip():
        return value, None
    return value, _("must be an id, as text")


def read_param_text(kind: ParamKind, text: str) -> tuple[object, Message | None]:
    """``text``, a parameter of ``kind`` as a query string writes it, read as
    :func:`read_param` reads it (``true``/``false`` a flag, up to nine digits a whole
    number, ``YYYY-MM-DD`` a date), so that a query and a call from Python are refused
    in the same words."""
    if kind == "flag" and text in ("true", "false"):
        return read_param(kind, text == "true")
    if kind == "int" and _WHOLE.fullmatch(text):
        return read_param(kind, int(text))
    return read_param(kind, text)


@attrs.frozen(kw_only=True)
class Subject:
    """What a question is asked about, and how a body of the wrong shape is refused."""

    #: The positional argument of the question's ``Policy`` method: ``student``.
    name: str
    #: The JSON Schema of the body: one of ``edupolicy.io.SCHEMA_NAMES``, or
    #: one the HTTP service defines (``students``, ``candidates``, ``awards``).
    schema: str
    shape: Shape
    #: The heading of the error when the body is not of its shape.
    invalid: Message
    #: What the body is, for the docs' table and the command line's help.
    description: Message

    def check(self, body: object, *, locale: str | None = None) -> object:
        """``body`` if it has this subject's shape; else an
        :class:`~edupolicy.errors.InvalidRecordError` naming ``$``."""
        if self.shape == "list":
            if isinstance(body, list):
                return body
            message = _("must be a list")
        elif self.shape == "figures":
            if isinstance(body, (dict, list)):
                return body
            message = _("must be a list of observations or an object")
        else:
            if isinstance(body, Mapping):
                return body
            message = _("must be a JSON object")
        raise InvalidRecordError(self.invalid, [FieldProblem("$", body, message)], locale=locale)


@attrs.frozen(kw_only=True)
class Asked:
    """A question as it is asked: of which policy, about what, with which parameters."""

    #: The region's policy under the readings chosen.
    policy: Policy
    #: The region's policy as its plans are written (no readings chosen).
    base: Policy
    #: The subject, of its shape (``None`` for a question asked about nothing).
    subject: Any
    #: The parameters given, by name (an absent optional one is left out).
    params: Mapping[str, Any]
    locale: str | None
    #: The readings chosen (reading id → choice id), which :attr:`policy` is read under.
    readings: Mapping[str, str] = attrs.field(factory=dict)
    #: Another region's policy, under the same readings: ``other("jinfeng")``.
    other: Callable[[str], Policy]


def _to_json(answer: Any, locale: str | None) -> object:
    return answer.to_json(locale)


def _each_to_json(answer: Sequence[Any], locale: str | None) -> object:
    return [item.to_json(locale) for item in answer]


@attrs.frozen(kw_only=True)
class Question:
    """One question a policy answers, declared once for every surface."""

    #: Its id: the HTTP operation's id and the command line's ``ask`` name.
    id: str
    #: Its path under ``/regions/{region}/`` in the HTTP service.
    path: str
    #: One line: the OpenAPI summary (in English), the docs' table, the command line's help.
    summary: Message
    #: What it is asked about; ``None``: nothing (the question is of the plans).
    subject: Subject | None
    params: tuple[Param, ...] = ()
    #: The JSON Schema of the answer (see :attr:`Subject.schema`).
    result: str
    #: The answer, from the question as asked.
    answer: Callable[[Asked], Any] = attrs.field(repr=False)
    #: The answer as JSON, in a locale.
    to_json: Callable[[Any, str | None], object] = attrs.field(default=_to_json, repr=False)
    #: Whether it takes ``reading`` (ID=CHOICE) to read the plans another way.
    readings: bool = True
    #: Whether the answer depends only on the policy (no subject, no parameter), so an
    #: interface may keep it.
    of_the_plans: bool = False
    #: JSON Schemas the question brings, by name, for a subject or an answer whose
    #: schema edupolicy does not already define (a new domain's record and result).
    schemas: Mapping[str, Mapping[str, Any]] = attrs.field(factory=dict)

    def ask(self, asked: Asked) -> object:
        """The answer to this question as JSON, in ``asked.locale``."""
        return self.to_json(self.answer(asked), asked.locale)

    def check_params(
        self, params: Mapping[str, object], *, locale: str | None = None
    ) -> dict[str, Any]:
        """``params`` read as this question declares its parameters (a date written
        ``YYYY-MM-DD`` as a date); a parameter given as ``None`` is not given.

        Every surface that takes a question's parameters by name checks them here:
        :func:`edupolicy.ask` and the case tables.  All the problems at once raise an
        :class:`~edupolicy.errors.InvalidDataError`, each naming its parameter (the
        field path is the parameter's name) and the value given: a name the question
        does not have (and the one it probably misspells), a required one missing, a
        value not of its kind.

        >>> from edupolicy.policy.questions import question
        >>> question("awards_needed").check_params({"on": "2019-09-10", "size": 4})
        {'on': datetime.date(2019, 9, 10), 'size': 4}
        """
        declared = {param.name: param for param in self.params}
        problems: list[FieldProblem] = []
        read: dict[str, Any] = {}
        for name, value in params.items():
            param = declared.get(name)
            if param is None:
                problems.append(FieldProblem(name, value, self._unknown(name)))
            elif value is not None:
                read[name], wrong = param._read(value)
                if wrong is not None:
                    problems.append(FieldProblem(name, value, wrong))
        problems.extend(
            FieldProblem(
                param.name,
                MISSING,
                _("the question {question} needs {param}", question=self.id, param=param.name),
            )
            for param in self.params
            if param.required and params.get(param.name) is None
        )
        if problems:
            raise InvalidDataError(_("Invalid argument"), problems, locale=locale)
        return read

    def _unknown(self, name: object) -> Message:
        names = [param.name for param in self.params]
        close = nearest(name, names)
        if close is None:
            return _(
                "the question {question} has no such parameter; it has: {params}",
                question=self.id,
                params=", ".join(names) or "-",
            )
        return _(
            "the question {question} has no such parameter; did you mean {name}? It has: {params}",
            question=self.id,
            name=close,
            params=", ".join(names),
        )


class _Schemas(Mapping[str, Mapping[str, Any]]):
    """The JSON Schema ``name``, made by ``make`` when first read."""

    def __init__(self, name: str, make: Callable[[], Mapping[str, Any]]) -> None:
        self._name = name
        self._make = make
        self._made: Mapping[str, Mapping[str, Any]] | None = None

    def _schemas(self) -> Mapping[str, Mapping[str, Any]]:
        if self._made is None:
            self._made = {self._name: self._make()}
        return self._made

    def __getitem__(self, name: str) -> Mapping[str, Any]:
        return self._schemas()[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._schemas())

    def __len__(self) -> int:
        return len(self._schemas())

    def __repr__(self) -> str:
        return f"_Schemas({self._name!r})"


ON = Param("on", "date", _("the date, YYYY-MM-DD: it chooses the plan in force"), required=True)
EXPLAIN = Param("explain", "flag", _("also list the rules that did not apply, and why"))
SHARE = Param("share", "text", _("the share's id, when the plan has more than one"))
#: The date of an award: it chooses the plan, and the postings the teachers' service counts.
_AWARD_ON = attrs.evolve(
    ON,
    description=_(
        "the date of the award, YYYY-MM-DD: it chooses the plan in force and the teachers' postings"
    ),
)

_STUDENT = Subject(
    name="student",
    schema="student",
    shape="object",
    invalid=_("Invalid student record"),
    description=_("a student record"),
)
_STUDENTS = Subject(
    name="students",
    schema="students",
    shape="list",
    invalid=_("Invalid roster"),
    description=_("a list of student records"),
)
_AWARDS = Subject(
    name="awards",
    schema="awards",
    shape="list",
    invalid=_("Invalid award list"),
    description=_("a list of award entries"),
)


def _diff(asked: Asked) -> Any:
    params = dict(asked.params)
    region = params.pop("against_region", None)
    if region is None and params.get("against") is None and not asked.readings:
        raise InvalidRecordError(
            _("Invalid argument"),
            [
                FieldProblem(
                    "against",
                    MISSING,
                    _("give what to compare with: against, against_region or reading"),
                )
            ],
            locale=asked.locale,
        )
    against = asked.other(region) if region is not None else asked.policy
    return asked.base.diff(
        asked.subject,
        params["on"],
        against=against,
        against_on=params.get("against"),
        locale=asked.locale,
    )


def _progress(asked: Asked) -> Any:
    return asked.policy.progress(asked.subject, **asked.params, locale=asked.locale)


def _select(asked: Asked) -> Any:
    params = dict(asked.params)
    return asked.policy.select(
        params.pop("programme"),
        asked.subject,
        **params,
        locale=asked.locale,
    )


#: Every question a policy answers, in the order the interfaces list them.
QUESTIONS: tuple[Question, ...] = (
    Question(
        id="aid",
        path="aid",
        summary=_("The aid of one student under the plan in force on a date"),
        subject=_STUDENT,
        params=(ON, EXPLAIN),
        result="aid-result",
        answer=lambda a: a.policy.aid(a.subject, **a.params, locale=a.locale),
    ),
    Question(
        id="budget",
        path="budget",
        summary=_(
            "What a roster receives under the plan in force on a date: the cash a year and "
            "the fee waivers, in all, by rule, by stage and by household status"
        ),
        subject=_STUDENTS,
        params=(ON,),
        result="budget",
        schemas=_Schemas(
            "budget", lambda: analysis.impact.schema_of(analysis.impact.BUDGET, "Budget")
        ),
        answer=lambda a: a.policy.budget(a.subject, **a.params, locale=a.locale),
    ),
    Question(
        id="diff",
        path="diff",
        summary=_(
            "What another reading, another date or another region does to a roster's aid: "
            "who gains, who loses, the cash before and after (give at least one of "
            "against, against_region and reading)"
        ),
        subject=_STUDENTS,
        params=(
            ON,
            Param("against", "date", _("compare with the plan in force on this date, YYYY-MM-DD")),
            Param(
                "against_region",
                "text",
                _(
                    "compare with another installed region (such as the next version of a "
                    "plan, installed as a region of its own)"
                ),
            ),
        ),
        result="diff",
        schemas=_Schemas("diff", lambda: analysis.impact.schema_of(analysis.impact.DIFF, "Diff")),
        answer=_diff,
    ),
    Question(
        id="teacher",
        path="teacher",
        summary=_("The incentives one teacher earns under the plan in force on a date"),
        subject=Subject(
            name="teacher",
            schema="teacher",
            shape="object",
            invalid=_("Invalid teacher record"),
            description=_("a teacher record"),
        ),
        params=(
            ON,
            attrs.evolve(
                EXPLAIN,
                description=_(
                    "also say what the teacher lacks for the outcomes not earned, and why "
                    "each other rule did not apply"
                ),
            ),
        ),
        result="teacher-result",
        answer=lambda a: a.policy.teacher(a.subject, **a.params, locale=a.locale),
    ),
    Question(
        id="progress",
        path="progress",
        summary=_("Where each target stands, given reported figures"),
        subject=Subject(
            name="observations",
            schema="figures",
            shape="figures",
            invalid=_("Invalid observations"),
            description=_("figures: indicator id → value, or a list of observations"),
        ),
        params=(
            Param(
                "year",
                "int",
                _("the year of the figures: targets are judged at its end, unless on is given"),
            ),
            Param("on", "date", _("the date the targets are judged on, YYYY-MM-DD")),
        ),
        result="progress",
        answer=_progress,
        to_json=_each_to_json,
    ),
    Question(
        id="select",
        path="select",
        summary=_("A year's cohort of a programme with a quota, among the candidates"),
        subject=Subject(
            name="candidates",
            schema="candidates",
            shape="list",
            invalid=_("Invalid candidate list"),
            description=_("a list of candidate teachers"),
        ),
        params=(
            Param("programme", "text", _("the programme's id"), required=True),
            Param("year", "int", _("the year of the cohort"), required=True),
        ),
        result="selection",
        answer=_select,
    ),
    Question(
        id="check_awards",
        path="check-awards",
        summary=_("An award list checked against the share of rural schools and teachers"),
        subject=_AWARDS,
        params=(_AWARD_ON, SHARE),
        result="award-check",
        answer=lambda a: a.policy.check_awards(a.subject, **a.params, locale=a.locale),
    ),
    Question(
        id="awards_needed",
        path="awards-needed",
        summary=_("How many of so many awards, chosen from the nominees, must be rural"),
        subject=attrs.evolve(_AWARDS, name="pool", description=_("a list of nominees")),
        params=(
            _AWARD_ON,
            Param("size", "int", _("the number of awards to be made"), required=True),
            SHARE,
        ),
        result="awards-needed",
        answer=lambda a: a.policy.awards_needed(a.subject, **a.params, locale=a.locale),
    ),
    Question(
        id="check",
        path="check",
        summary=_("The consistency audit of the region's plans"),
        subject=None,
        result="findings",
        schemas=_Schemas("findings", lambda: analysis.findings.findings_schema()),
        answer=lambda a: a.policy.check(),
        to_json=_each_to_json,
        of_the_plans=True,
    ),
)


def question(
    question_id: object, questions: Sequence[Question] = QUESTIONS, *, locale: str | None = None
) -> Question:
    """The question with id (or path: ``check-awards``) ``question_id`` among
    ``questions``.

    An unknown one raises :class:`~edupolicy.errors.InvalidDataError` naming it and the
    questions there are.
    """
    for found in questions:
        if question_id in (found.id, found.path):
            return found
    raise InvalidDataError(
        _("Unknown question"),
        [
            FieldProblem(
                "question",
                question_id,
                _(
                    "no such question; questions: {questions}",
                    questions=", ".join(q.id for q in questions),
                ),
            )
        ],
        locale=locale,
    )
