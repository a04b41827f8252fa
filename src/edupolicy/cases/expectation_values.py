"""The values of a case's expectation keys, read and checked: what the case expects.

Each expectation has its form (an amount, a list of ids, a table of statuses, true or
false, a count, the text of an error); a value that does not have it is reported, and
left out, while the other expectations are still read.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Final

from edupolicy.cases.problems import NOTHING, Problems, Where
from edupolicy.cases.vocabulary import EXPECTATIONS, Expected, Subject
from edupolicy.errors import InvalidDataError
from edupolicy.goals import Status
from edupolicy.i18n import _
from edupolicy.values import money

__all__ = ["EXPECTATION_KEYS", "read_expected"]

#: The keys of what a case may expect.
EXPECTATION_KEYS: Final = (
    *(key for keys in EXPECTATIONS.values() for key in keys),
    "error",
)
#: Expectations whose empty list would check nothing.
_NOT_EMPTY: Final = ("applies", "not_applies", "earns", "not_earns")


def read_expected(
    problems: Problems, raw: Mapping[str, Any], where: Where, subject: Subject | None
) -> Expected | None:
    """What the case ``raw`` (at ``where``) expects; ``None`` without a subject."""
    given = [key for key in EXPECTATION_KEYS if key in raw]
    if subject is None:
        return None
    allowed = (*EXPECTATIONS[subject], "error")
    for key in given:
        if key not in allowed:
            problems.at(
                where,
                key,
                raw[key],
                _(
                    "a {subject} case does not expect {key}; it expects {keys}",
                    subject=subject.value,
                    key=key,
                    keys=", ".join(allowed),
                ),
            )
    if not given:
        problems.problem(
            where.line,
            "",
            NOTHING,
            _("the case expects nothing: give {keys}", keys=", ".join(allowed)),
        )
    if "error" in given and len(given) > 1:
        problems.at(
            where,
            "error",
            raw["error"],
            _("a case that expects an error checks nothing else"),
        )
        given = ["error"]
    # A bad value is reported and left out; the others are still checked.
    values = {key: _expectation(problems, where, key, raw[key]) for key in given if key in allowed}
    for wanted, unwanted in (("applies", "not_applies"), ("earns", "not_earns")):
        both = set(values.get(wanted) or ()) & set(values.get(unwanted) or ())
        for rule in sorted(both):
            problems.at(
                where,
                unwanted,
                rule,
                _("also listed in {other}: a rule cannot both apply and not", other=wanted),
            )
    return Expected(**values)


def _expectation(problems: Problems, where: Where, key: str, value: object) -> Any:
    """The value of expectation ``key``, read; ``None`` after reporting a problem."""
    if key == "cash_total":
        return _amount(problems, where, key, value)
    if key in ("waivers", "applies", "not_applies", "earns", "not_earns", "selected"):
        return _ids(problems, where, key, value)
    if key == "status":
        return _status(problems, where, value)
    if key == "meets":
        if isinstance(value, bool):
            return value
        problems.at(where, key, value, _("must be true or false"))
        return None
    if key == "answer":
        if isinstance(value, (Mapping, list)) and value:
            return value
        problems.at(where, key, value, _("must be a table (or a list) of the parts of the answer"))
        return None
    if key == "short_by":
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            return value
        problems.at(where, key, value, _("must be a whole number, 0 or more"))
        return None
    if isinstance(value, str) and value.strip():
        return value
    problems.at(where, key, value, _("must be the text the error contains"))
    return None


def _amount(problems: Problems, where: Where, key: str, value: object) -> Decimal | None:
    if isinstance(value, float):
        problems.at(where, key, value, _('write an amount as a string of yuan, like "500.00"'))
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        problems.at(where, key, value, _('must be an amount of yuan, like "500.00"'))
        return None
    try:
        return money(value)
    except InvalidDataError as exc:
        for problem in exc.problems:
            problems.at(where, key, value, problem.message)
        return None


def _ids(problems: Problems, where: Where, key: str, value: object) -> tuple[str, ...] | None:
    if not isinstance(value, list):
        problems.at(where, key, value, _("must be a list of ids"))
        return None
    found: list[str] = []
    for index, item in enumerate(value):
        if not isinstance(item, str) or not item.strip():
            problems.at(where, f"{key}[{index}]", item, _("must be an id, as text"))
        elif item in found:
            problems.at(where, f"{key}[{index}]", item, _("listed more than once"))
        else:
            found.append(item)
    if key in _NOT_EMPTY and not value:
        problems.at(where, key, value, _("an empty list checks nothing"))
    return tuple(found)


def _status(problems: Problems, where: Where, value: object) -> Mapping[str, Status] | None:
    if not isinstance(value, dict) or not value:
        problems.at(
            where,
            "status",
            value,
            _(
                "must be a table of target ids and statuses, like {example}",
                example='{ target-id = "met" }',
            ),
        )
        return None
    allowed = ", ".join(status.value for status in Status)
    found: dict[str, Status] = {}
    for target, status in value.items():
        match = next((s for s in Status if s.value == status), None)
        if match is None:
            problems.at(
                where,
                f"status.{target}",
                status,
                _("must be one of: {allowed}", allowed=allowed),
            )
        else:
            found[target] = match
    return found
