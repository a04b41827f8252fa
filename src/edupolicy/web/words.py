"""The words of the workbench's pages, each a message of the ``edupolicy`` catalogue.

Templates name a message by its key (``{{ t.plan }}``, ``{{ t("students", count=3) }}``);
a key that is not here fails the page, so a page never shows a missing word.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

import attrs

from edupolicy.aid import Household, Stage
from edupolicy.aid.benefits import FEE_LABELS
from edupolicy.i18n import Message, Renderable, _
from edupolicy.teachers import Title
from edupolicy.values import SchoolArea

__all__ = ["FIELDS", "WORDS", "Words", "field_label", "value_label"]

WORDS: Final[Mapping[str, Message]] = {
    "workbench": _("Policy workbench"),
    "no_regions": _("No region is served."),
    "choose_region": _("Choose a region to work on."),
    "plan": _("The plan"),
    "plan_long": _("The plan, read beside its rules"),
    "try": _("Try a student or a teacher"),
    "try_short": _("Try"),
    "cases": _("Case tables"),
    "whatif": _("What-if"),
    "whatif_long": _("What-if: what a change costs"),
    "audit": _("Audit"),
    "document": _("Document"),
    "issuer": _("Issued by"),
    "signed": _("Signed"),
    "period": _("In force"),
    "level": _("Level"),
    "own_level": _("a plan of its own (no parent region)"),
    "builds_on": _("builds on the plan of region {parent}"),
    "own": _("own"),
    "inherited": _("inherited from {document}"),
    "readings": _("Readings"),
    "reading": _("Reading"),
    "read_under": _("Read under these choices"),
    "default": _("default"),
    "in_force_choice": _("in force"),
    "preamble": _("Before the first section"),
    "no_rule": _("no rule"),
    "no_rule_long": _("Sentences that no rule, target or incentive cites are marked “no rule”."),
    "encoded": _("{cited} of {total} sentences are cited by an item of the plan"),
    "items": _("Items of the plan"),
    "to_sentence": _("to its sentence"),
    "unplaced": _("Items whose quote is not in this plan's text"),
    "no_text": _(
        "The plugin of this region ships no text of this plan: its items are listed by section."
    ),
    "section": _("Section"),
    "quote": _("Quote"),
    "interpretation": _("Interpretation"),
    "subject": _("Subject"),
    "on": _("On"),
    "answer": _("Answer"),
    "ask": _("Ask"),
    "applied": _("What applies"),
    "not_applied": _("Rules that did not apply, and why"),
    "nothing_applies": _("No rule applies."),
    "cash_total": _("Cash a year"),
    "waivers": _("Fees waived"),
    "rule": _("Rule"),
    "amount": _("Amount"),
    "optional": _("optional"),
    "posting": _("Posting {number}"),
    "error": _("The request cannot be answered"),
    "run": _("Run"),
    "case_file": _("Case table (CSV, .xlsx or TOML)"),
    "case_help": _(
        "Each case is checked against the plan in force on its date, exactly as the "
        "pytest plugin checks it."
    ),
    "template": _("Download a template workbook"),
    "passed": _("passed"),
    "failed": _("failed"),
    "case": _("Case"),
    "outcome": _("Outcome"),
    "report": _("Report"),
    "summary_cases": _("{passed} passed, {failed} failed"),
    "change_amount": _("Change an amount"),
    "new_amount": _("New amount (yuan)"),
    "remove_rules": _("Remove rules"),
    "remove": _("remove"),
    "add_rule": _("Add a rule (a TOML table of the plan file's [[aid.rules]] form)"),
    "reason": _("Reason for the change"),
    "roster": _("Roster (CSV, .xlsx or JSON Lines)"),
    "or_sample": _("or use the region's sample roster"),
    "compare": _("Show the cost"),
    "change_file": _("Download the change file"),
    "changed_students": _("Download the students whose aid changes (CSV)"),
    "budget": _("Budget"),
    "before": _("before"),
    "after": _("after"),
    "change": _("change"),
    "students": _("Students"),
    "skipped": _("Records skipped"),
    "gain": _("gain"),
    "lose": _("lose"),
    "same": _("same"),
    "by_stage": _("By stage"),
    "by_household": _("By household status"),
    "by_rule": _("By rule"),
    "stage": _("Stage"),
    "household": _("Household status"),
    "cash": _("Cash a year"),
    "whose_aid_changes": _("Students whose aid changes"),
    "nobody_changes": _("No student's aid changes."),
    "position": _("Place in the roster"),
    "id": _("Id"),
    "rejected": _("Records that could not be evaluated"),
    "findings": _("Findings of the audit"),
    "no_findings": _("The audit finds nothing."),
    "severity": _("Severity"),
    "code": _("Code"),
    "message": _("Finding"),
    "sentences": _("Sentences"),
    "none_status": _("no status"),
}


@attrs.frozen
class Words:
    """The words of :data:`WORDS` in one locale: ``words.plan``, ``words("encoded", ...)``."""

    locale: str

    def __getattr__(self, key: str) -> str:
        try:
            return WORDS[key].render(self.locale)
        except KeyError:
            raise AttributeError(key) from None

    def __call__(self, key: str, /, **params: object) -> str:
        message = WORDS[key]
        return attrs.evolve(message, params=tuple(params.items())).render(self.locale)


#: The fields of the records, in words (the form shows each beside its JSON name).
FIELDS: Final[Mapping[str, Message]] = {
    "stage": _("stage of education"),
    "year": _("year within the stage"),
    "school_area": _("school area"),
    "boarding": _("boards at school"),
    "household": _("household status"),
    "orphan": _("orphan"),
    "disabled": _("disabled"),
    "id": _("record id"),
    "service": _("postings"),
    "title": _("professional title"),
    "meets_title_criteria": _("meets the conditions for title evaluation"),
    "outstanding": _("work rated outstanding"),
    "start": _("from"),
    "end": _("until (empty: still there)"),
}


def field_label(key: str, locale: str) -> str:
    """A record's field in words in ``locale``, or its JSON name."""
    found = FIELDS.get(key)
    return found.render(locale) if found is not None else key


_LABELS: Final[Mapping[str, Mapping[str, Renderable]]] = {
    "stage": {member.value: member.label for member in Stage},
    "school_area": {member.value: member.label for member in SchoolArea},
    "household": {member.value: member.label for member in Household},
    "title": {member.value: member.label for member in Title},
    "waives": FEE_LABELS,
}


def value_label(field: str, value: str, locale: str) -> str:
    """A word of the JSON vocabulary in ``locale`` (``rural`` → 农村), or itself."""
    found = _LABELS.get(field, {}).get(value)
    return found.render(locale) if found is not None else value
