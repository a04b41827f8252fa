"""The what-if form as a change file: amounts changed, rules removed, a rule added.

:func:`change_file` writes the ``[[change]]`` tables a submitted what-if form states as
the TOML of a change file (``docs/rules.md``); the page then reads that text back with
:func:`edupolicy.io.changefiles.read_change_file_text`, the reader of ``--changes``, so the
file an officer downloads is exactly what was applied.
"""

from __future__ import annotations

import datetime as _dt
import json
import re
import tomllib
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any, Final

from edupolicy.errors import FieldProblem, PlanDataError
from edupolicy.i18n import Message, _
from edupolicy.plans import Plan

__all__ = ["change_file", "toml_value"]

_BARE_KEY: Final = re.compile(r"^[A-Za-z0-9_-]+$")


def toml_value(value: object) -> str:
    """``value`` (JSON-shaped: text, a whole number, a flag, a list, a table) as TOML."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, (_dt.date, _dt.time)):
        return value.isoformat()
    if isinstance(value, str):
        # A JSON string is a TOML basic string, but for its escapes of control codes.
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    if isinstance(value, Mapping):
        return "{ " + ", ".join(f"{_key(k)} = {toml_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(type(value).__name__)


def _key(key: object) -> str:
    text = str(key)
    return text if _BARE_KEY.match(text) else json.dumps(text, ensure_ascii=False)


def _amount(text: str) -> str | None:
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        return None
    return f"{value:.2f}" if value.is_finite() else None


def change_file(
    plan: Plan,
    amounts: Mapping[str, str],
    removed: Sequence[str],
    added: str,
    reason: str,
    *,
    locale: str,
) -> str:
    """The change file of a what-if form: ``amounts`` (rule id → new amount in yuan, as
    typed; one equal to the rule's own is no change), the ids of the ``removed`` rules,
    a rule ``added`` as a TOML table of the plan file's ``[[aid.rules]]`` form, and the
    ``reason`` of every change.  A malformed amount or added rule raises
    :class:`~edupolicy.errors.PlanDataError` naming it."""
    problems: list[FieldProblem] = []
    tables: list[dict[str, Any]] = []
    rules = {rule.id: rule for rule in plan.aid.rules}
    for rule_id, text in amounts.items():
        if not text.strip() or rule_id in removed:
            continue
        amount = _amount(text)
        rule = rules.get(rule_id)
        if amount is None:
            problems.append(
                FieldProblem(
                    f"amount.{rule_id}", text, _("must be an amount of yuan, such as 600.00")
                )
            )
        elif rule is None or rule.benefit.amount is None or Decimal(amount) != rule.benefit.amount:
            tables.append({"rule": rule_id, "set": {"benefit.amount": amount}, "reason": reason})
    tables += [{"rule": rule_id, "remove": True, "reason": reason} for rule_id in removed]
    if added.strip():
        try:
            item = tomllib.loads(added)
        except tomllib.TOMLDecodeError as exc:
            problems.append(FieldProblem("add", added, Message(str(exc))))
        else:
            tables.append({"add": "aid.rules", "item": item, "reason": reason})
    if problems:
        raise PlanDataError(_("The changes cannot be made"), problems, locale=locale)
    lines = [f"# {reason}" if reason else "# What-if changes"]
    for table in tables:
        lines.append("")
        lines.append("[[change]]")
        lines.extend(f"{_key(k)} = {toml_value(v)}" for k, v in table.items())
    return "\n".join(lines) + "\n"
