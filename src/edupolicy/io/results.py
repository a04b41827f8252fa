"""The JSON of every result, and of the items and records it holds, declared once.

Each result's JSON is a :class:`~edupolicy.io.views.View`: its keys in order, the kind
of each value and where it comes from.  From that one declaration come both the JSON
(``to_json()``, registered here for each class with
:func:`~edupolicy.rules.writing.register_writer`) and the JSON Schema of the result
(:func:`result_schema`).  Records (a student, a teacher) are written by the one
converter, in the shape it reads them.

The views of the results are declared in :mod:`edupolicy.io.result_views`, those of
the items and records they hold in :mod:`edupolicy.io.item_views`.  An item of a result
(a rule that applied, or one that did not) is shared by every subject with the same
outcome, and rendering its texts costs far more than evaluating it: its JSON is
rendered once per locale and kept on the item (``rendered``).  A result's JSON is kept
on its outcome in the same way (:func:`outcome_parts`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Final

from edupolicy.aid import (
    AidResult,
    Cash,
    EqualTreatment,
    Student,
    Unquantified,
    Waiver,
)
from edupolicy.goals import TargetProgress
from edupolicy.io import schematypes as st
from edupolicy.io.convert import unstructure
from edupolicy.io.item_views import (
    BENEFIT,
    LACK,
    NOTE,
    OUTCOME,
    RURAL_SERVICE,
    SOURCE,
    write_applied,
    write_not_applied,
)
from edupolicy.io.result_views import (
    AID_RESULT,
    AWARD_CHECK,
    CANDIDATE,
    ENVELOPE,
    KIND_COUNT,
    LEVEL,
    PROGRESS_LINE,
    READING,
    RESULT_VIEWS,
    SELECTION,
    SHARE_CHECK,
    SHARE_REQUIREMENT,
    SUBJECT_ID,
    TEACHER_RESULT,
)
from edupolicy.io.schematypes import Schema
from edupolicy.io.views import Member, View
from edupolicy.plans.plan import Level
from edupolicy.plans.reading import Reading
from edupolicy.rules import Applied, Lack, NotApplied, Result, Source
from edupolicy.rules.writing import register_writer
from edupolicy.teachers import (
    Allowance,
    AwardCheck,
    CandidateResult,
    KindCount,
    Priority,
    Programme,
    Recognition,
    RelaxedHonours,
    RuralService,
    Selection,
    ShareCheck,
    ShareRequirement,
    Teacher,
    TeacherResult,
    TitleExemption,
)

__all__ = ["RESULT_VIEWS", "around_id", "outcome_parts", "result_schema"]


# --- writing -------------------------------------------------------------------------------


def _record(value: object, _locale: str | None) -> dict[str, Any]:
    found: dict[str, Any] = unstructure(value)
    return found


def _result(value: Result[Any], locale: str | None) -> dict[str, Any]:
    return _RESULTS.get(type(value), ENVELOPE).write(value, locale)


#: How many renderings of its results an outcome keeps (dates, locales, origins).
_OUTCOME_RENDERINGS: Final = 8


def _kept_result(value: AidResult | TeacherResult, locale: str | None) -> dict[str, Any]:
    """A result's JSON: what its outcome gives on its date, from its plan, kept on the
    outcome (:func:`outcome_parts`) and copied, and the members that are its own.

    What is kept is copied with a copier made for its shape (:func:`_copier`): a
    caller may change what it is given, and each call gives new dicts and lists.
    """
    if type(value) not in _RESULTS or (locale is not None and type(locale) is not str):
        return _result(value, locale)
    kept = value.outcome.rendered
    readings = value.readings
    key = (value.region, value.plan, value.on, id(readings), locale)
    found = kept.get(key)
    if found is None or found[0] is not readings:
        segments, own = outcome_parts(value, locale)
        if len(kept) >= _OUTCOME_RENDERINGS:
            kept.clear()
        found = kept[key] = (readings, [_copier(part) for part in segments], own)
    _readings, copiers, own = found
    data: dict[str, Any] = copiers[0]()
    for part, copy in zip(own, copiers[1:], strict=True):
        found = part.get(value)
        if found is not None:
            data[part.key] = part.kind.write(found, locale)
        elif not part.optional:
            data[part.key] = None
        data.update(copy())
    return data


def _copier(value: Any) -> Callable[[], Any]:
    """A function that gives a copy of JSON-shaped ``value`` as :func:`_fresh` does (its
    dicts and lists new, its scalars shared), made for ``value``'s shape: it copies
    each dict and list at once, and walks only into the members that hold more."""
    if type(value) is dict:
        inner = [(key, _copier(item)) for key, item in value.items() if type(item) in (dict, list)]
        if not inner:
            return value.copy
        whole: dict[str, Any] = value

        def copy_dict() -> dict[str, Any]:
            found = whole.copy()
            for key, copy in inner:
                found[key] = copy()
            return found

        return copy_dict
    if type(value) is list:
        if not any(type(item) in (dict, list) for item in value):
            return value.copy
        each = [_copier(item) for item in value]
        return lambda: [copy() for copy in each]
    return lambda: value


def outcome_parts(
    result: Result[Any], locale: str | None
) -> tuple[list[dict[str, Any]], list[Member]]:
    """The members of ``result``'s JSON that are not its own, in the runs between its own
    members, and its own members: what depends on where it comes from, its date and its
    outcome, written once for the many results that share them.

    ``result``'s JSON is the first run, then each own member followed by the next run.
    """
    return _runs(result, locale, lambda part: part.own)


def around_id(result: Result[Any], locale: str | None) -> tuple[dict[str, Any], dict[str, Any]]:
    """The members of ``result``'s JSON before its id, and those after it: what depends on
    where it comes from and on its outcome, written once for many results that share them."""
    (before, after), _cut = _runs(result, locale, lambda part: part is SUBJECT_ID)
    return before, after


def _runs(
    result: Result[Any], locale: str | None, cut: Callable[[Member], bool]
) -> tuple[list[dict[str, Any]], list[Member]]:
    """The members of ``result``'s JSON in runs between the members ``cut`` picks; those."""
    view = _RESULTS.get(type(result), ENVELOPE)
    runs: list[dict[str, Any]] = [{}]
    cuts: list[Member] = []
    for part in view.members:
        if cut(part):
            cuts.append(part)
            runs.append({})
            continue
        found = part.get(result)
        if found is None:
            if not part.optional:
                runs[-1][part.key] = None
            continue
        runs[-1][part.key] = part.kind.write(found, locale)
    return runs, cuts


_RESULTS: Final[Mapping[type, View]] = {AidResult: AID_RESULT, TeacherResult: TEACHER_RESULT}


#: The writer of each class with a JSON shape (and of its subclasses).
WRITERS: Final[Mapping[type, Callable[[Any, str | None], dict[str, Any]]]] = {
    Result: _result,
    AidResult: _kept_result,
    TeacherResult: _kept_result,
    Applied: write_applied,
    NotApplied: write_not_applied,
    Lack: LACK.write,
    Source: SOURCE.write,
    Cash: BENEFIT.write,
    Waiver: BENEFIT.write,
    Unquantified: BENEFIT.write,
    **dict.fromkeys(
        (TitleExemption, Recognition, Programme, RelaxedHonours, Priority, Allowance),
        OUTCOME.write,
    ),
    RuralService: RURAL_SERVICE.write,
    CandidateResult: CANDIDATE.write,
    Selection: SELECTION.write,
    AwardCheck: AWARD_CHECK.write,
    KindCount: KIND_COUNT.write,
    ShareCheck: SHARE_CHECK.write,
    ShareRequirement: SHARE_REQUIREMENT.write,
    TargetProgress: PROGRESS_LINE.write,
    Reading: READING.write,
    Level: LEVEL.write,
    EqualTreatment: NOTE.write,
    Student: _record,
    Teacher: _record,
}

for _cls, _write in WRITERS.items():
    register_writer(_cls, _write)


# --- schemas -------------------------------------------------------------------------------


def result_schema(name: str, title: str) -> Schema:
    """The JSON Schema of the result ``name`` (of :data:`RESULT_VIEWS`, or ``progress``)."""
    defs: dict[str, Schema] = {}
    if name == "progress":
        body: Schema = {"type": "array", "items": PROGRESS_LINE.schema(defs)}
        text = "Where each target stands: a list of TargetProgress.to_json()."
    else:
        view = RESULT_VIEWS[name]
        body = view.body(defs)
        text = body.pop("description")
    return st.document(title, text, body, defs)
