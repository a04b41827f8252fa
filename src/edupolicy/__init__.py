"""edupolicy: rules as code for education poverty-alleviation plans.

>>> import datetime, edupolicy
>>> policy = edupolicy.load("jinfeng")
>>> result = policy.aid({"stage": "primary", "year": 3, "school_area": "rural",
...                      "household": ["dibao"]}, datetime.date(2019, 9, 1))
>>> result.cash_total
Decimal('500.00')

The names here are what a host needs: :func:`load` a region's :class:`Policy` and ask
it questions; the records it takes and the results it gives; the errors it raises.
The building blocks live in their layers: the rules engine in :mod:`edupolicy.rules`,
the domains in :mod:`edupolicy.aid`, :mod:`edupolicy.goals` and
:mod:`edupolicy.teachers`, plans in :mod:`edupolicy.plans`, plugins in
:mod:`edupolicy.plugins`.

The names of 0.1.0 that moved still work until 0.3, each with a
``DeprecationWarning`` that names its new spelling (see the CHANGELOG).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from edupolicy import analysis as _analysis
from edupolicy._lazy import lazy_module, lazy_names
from edupolicy._version import __version__
from edupolicy.aid import AidResult, Household, PlanStatus, Stage, Student
from edupolicy.errors import (
    EdupolicyError,
    FieldProblem,
    ImpossibleShareError,
    InvalidDataError,
    InvalidRecordError,
    OutOfPeriodError,
    PlanDataError,
    PluginError,
    PluginWarning,
    RuleConflictError,
    UnknownRegionError,
    show_value,
)
from edupolicy.goals import Observation
from edupolicy.i18n import _
from edupolicy.io import structure, unstructure
from edupolicy.io.planfiles import is_traversable
from edupolicy.plans import Change, Period, Plan, PlanDocument
from edupolicy.plugins.registry import RegionInfo
from edupolicy.plugins.registry import default_registry as _default_registry
from edupolicy.policy import Policy, Rejected
from edupolicy.rules import ExtensionCondition
from edupolicy.teachers import (
    Award,
    Posting,
    ShareCheck,
    ShareRequirement,
    Teacher,
    TeacherResult,
    Title,
)
from edupolicy.values import SchoolArea, money

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

    from edupolicy.analysis import Finding
    from edupolicy.analysis.layering import Parents as _Parents
    from edupolicy.goals.progress import TargetProgress
    from edupolicy.policy import questions as _questions
    from edupolicy.policy.questions import Question
    from edupolicy.teachers.selection import Selection
else:
    # The declarations of the questions, imported when one is asked.
    _questions = lazy_module("edupolicy.policy.questions")

__all__ = [
    "AidResult",
    "Award",
    "Change",
    "EdupolicyError",
    "FieldProblem",
    "Finding",
    "Household",
    "ImpossibleShareError",
    "InvalidDataError",
    "InvalidRecordError",
    "Observation",
    "OutOfPeriodError",
    "Period",
    "Plan",
    "PlanDataError",
    "PlanDocument",
    "PlanStatus",
    "PluginError",
    "PluginWarning",
    "Policy",
    "Posting",
    "RegionInfo",
    "Rejected",
    "RuleConflictError",
    "SchoolArea",
    "Selection",
    "ShareCheck",
    "ShareRequirement",
    "Stage",
    "Student",
    "TargetProgress",
    "Teacher",
    "TeacherResult",
    "Title",
    "UnknownRegionError",
    "__version__",
    "ask",
    "load",
    "load_plan",
    "load_plans",
    "money",
    "plugin_problems",
    "questions",
    "regions",
    "structure",
    "unstructure",
]


def regions() -> tuple[RegionInfo, ...]:
    """The installed regions, with the distribution and version of each one's plugin."""
    return _default_registry().regions()


def load(
    region_id: str,
    *,
    readings: Mapping[str, str] | None = None,
    locale: str | None = None,
) -> Policy:
    """The immutable :class:`Policy` of region ``region_id``.

    ``readings`` chooses, for sentences of the plan that can be read more than one way,
    the reading to apply (reading id → choice id, see :attr:`Plan.readings`); every
    other reading keeps its default.  An unknown region id raises
    :class:`UnknownRegionError`, which lists the ids that exist; an unknown reading or
    choice raises :class:`InvalidDataError`.  ``locale`` chooses the language of any
    error.
    """
    policy = _default_registry().load(region_id, locale=locale)
    if readings is None:
        return policy
    return policy.with_readings(readings, locale=locale)


def questions() -> tuple[Question, ...]:
    """Every question a policy answers: the core's, then those installed plugins add
    (hook ``edupolicy_questions``).

    >>> [question.id for question in questions()][:3]
    ['aid', 'budget', 'diff']
    """
    return _default_registry().questions()


def ask(
    region_id: str,
    question: str,
    about: object = None,
    *,
    readings: Mapping[str, str] | None = None,
    locale: str | None = None,
    **params: object,
) -> object:
    """The answer, as JSON, to the question with id (or path) ``question`` about
    ``about``, asked of region ``region_id``'s policy under ``readings``.

    Every question of :func:`questions` is asked so, a plugin's as the core's; the
    answer is the JSON the HTTP service and ``edupolicy ask`` give.  ``params`` are the
    question's parameters (``on``, ``year``, ``explain``…); a date may be given as
    ``YYYY-MM-DD``.  An unknown question or parameter, a missing one, a value not of
    its parameter's kind (see :meth:`Question.check_params
    <edupolicy.policy.questions.Question.check_params>`), or a subject of the wrong
    shape raises :class:`InvalidDataError` naming it.

    >>> ask("jinfeng", "aid", {"stage": "primary", "year": 3, "school_area": "rural",
    ...                        "household": ["dibao"]}, on="2019-09-01")["cash_total"]
    '500.00'
    """
    declared = _default_registry().question(question, locale=locale)
    if declared.subject is None and about is not None:
        raise InvalidDataError(
            _("Invalid argument"),
            [
                FieldProblem(
                    "about",
                    about,
                    _("the question {question} is asked about nothing", question=declared.id),
                )
            ],
            locale=locale,
        )
    given = declared.check_params(params, locale=locale)
    subject = declared.subject.check(about, locale=locale) if declared.subject else None
    chosen = dict(readings or {})

    def other(region: str) -> Policy:
        return load(region, readings=chosen or None, locale=locale)

    return declared.ask(
        _questions.Asked(
            policy=load(region_id, readings=chosen or None, locale=locale),
            base=load(region_id, locale=locale),
            subject=subject,
            params=given,
            locale=locale,
            other=other,
            readings=chosen,
        )
    )


def plugin_problems() -> tuple[PluginError, ...]:
    """The installed plugins that could not be used, and why."""
    return _default_registry().problems


def load_plan(
    path: str | os.PathLike[str] | Traversable,
    *,
    conditions: Iterable[type[ExtensionCondition[Any]]] = (),
    locale: str | None = None,
) -> Plan:
    """Read and check a plan file (TOML) — for plugin authors and policy staff.

    No code in the file is executed; a bad field raises :class:`PlanDataError`
    naming its path.  A plan file that names a ``parent`` region is built on that
    installed region's plan in force over its period.  The file may use the keys of
    ``conditions``, the kinds of condition a plugin adds.
    """
    given: object = path
    if not isinstance(given, (str, os.PathLike)) and not is_traversable(given):
        raise PlanDataError(
            _("Cannot read plan file {file}", file=show_value(given)),
            [FieldProblem("path", given, _("must be the path of a plan file"))],
            locale=locale,
        )
    source = path if is_traversable(path) else Path(path)
    return _analysis.plan_from_file(
        source, parents=_installed(source, locale), conditions=tuple(conditions), locale=locale
    )


def load_plans(
    path: str | os.PathLike[str] | Traversable,
    *,
    conditions: Iterable[type[ExtensionCondition[Any]]] = (),
    locale: str | None = None,
) -> tuple[Plan, ...]:
    """The plans of a plan file, read and checked as by :func:`load_plan`: one, or, for
    a file that follows its parent region across several of the parent's plans
    (``parent_plans = "follow"``), one for each."""
    given: object = path
    if not isinstance(given, (str, os.PathLike)) and not is_traversable(given):
        return (load_plan(path, conditions=conditions, locale=locale),)
    source = path if is_traversable(path) else Path(path)
    return _analysis.plans_from_file(
        source, parents=_installed(source, locale), conditions=tuple(conditions), locale=locale
    )


def _installed(source: Traversable | Path, locale: str | None) -> _Parents:
    """Finds the plans of an installed parent region, as the plan file ``source`` names
    it; a region that is not there is an error of the file's ``parent``."""
    heading = _("Plan file {file} is not valid", file=getattr(source, "name", str(source)))

    def parents(region_id: str) -> tuple[Plan, ...]:
        return _default_registry().plans_of_parent(region_id, heading=heading, locale=locale)

    return parents


# The audit's finding is imported with the audit, when first used; a target's progress
# and a selection with what answers those questions, and the declarations of questions
# when one is asked: loading a plan needs none of them.
lazy_names(
    __name__,
    {
        "Asked": "edupolicy.policy.questions:Asked",
        "Finding": "edupolicy.analysis.audit:Finding",
        "Question": "edupolicy.policy.questions:Question",
        "Selection": "edupolicy.teachers.selection:Selection",
        "TargetProgress": "edupolicy.goals.progress:TargetProgress",
    },
)

if not TYPE_CHECKING:

    def __getattr__(name: str) -> Any:
        """A name of 0.1.0 that moved: its new object, with a warning that names it."""
        from edupolicy._deprecated import moved

        return moved(__name__, name)
