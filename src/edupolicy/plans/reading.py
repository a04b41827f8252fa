"""Readings: where a plan's text allows more than one meaning, the meanings it offers.

A plan's data encodes one reading of each ambiguous sentence, its default.  A
:class:`Reading` names the question, cites the sentence, and lists its
:class:`Choice` s: the default, which is the data as written, and the alternatives,
each the :class:`~edupolicy.plans.change.Change` s that turn the data into that
reading.  :mod:`edupolicy.analysis.whatif` applies a choice; a
:class:`~edupolicy.Policy` is loaded under any choice of each reading and its results
say which readings were in force.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import attrs

from edupolicy.errors import MISSING, FieldProblem, field_check
from edupolicy.i18n import Text, _
from edupolicy.plans.change import Change
from edupolicy.rules import Source, duplicates
from edupolicy.rules.writing import Written

__all__ = ["Choice", "Reading", "check_readings"]


@attrs.frozen(kw_only=True)
class Choice:
    """One reading of an ambiguous sentence: what it takes the sentence to mean.

    The default choice has no changes (it is the plan's data as written); every other
    choice has the changes that make the data say it.
    """

    id: str
    #: What this reading takes the sentence to mean, and why one might read it so.
    text: Text
    changes: tuple[Change, ...] = ()


@attrs.frozen(kw_only=True)
class Reading(Written):
    """A sentence of the plan that can be read more than one way, and its readings."""

    id: str
    #: The question the sentence leaves open.
    name: Text
    #: The ambiguous sentence.
    source: Source
    #: The id of the choice the plan's data encodes.
    default: str
    choices: tuple[Choice, ...] = attrs.field(
        metadata={"json": {"min_items": 2}},
        validator=field_check(
            lambda _self, choices: len(choices) >= 2,
            lambda *_args: _("a reading offers at least two choices"),
        ),
    )

    def choice(self, choice_id: str) -> Choice:
        """The choice with id ``choice_id``; :class:`KeyError` when there is none."""
        for choice in self.choices:
            if choice.id == choice_id:
                return choice
        raise KeyError(choice_id)

    @property
    def choice_ids(self) -> tuple[str, ...]:
        """The ids of the choices, in order."""
        return tuple(choice.id for choice in self.choices)


def check_readings(readings: Sequence[Reading]) -> Iterator[FieldProblem]:
    """Reading ids unique, choice ids unique, the default a choice with no changes."""
    yield from duplicates([r.id for r in readings], "$.readings", _("reading"))
    for index, reading in enumerate(readings):
        path = f"$.readings[{index}]"
        yield from duplicates([c.id for c in reading.choices], f"{path}.choices", _("choice"))
        ids = reading.choice_ids
        if reading.default not in ids:
            yield FieldProblem(
                f"{path}.default",
                reading.default,
                _("no choice has this id; choices: {choices}", choices=", ".join(ids)),
            )
        for position, choice in enumerate(reading.choices):
            if choice.id == reading.default and choice.changes:
                yield FieldProblem(
                    f"{path}.choices[{position}].changes",
                    len(choice.changes),
                    _("the default choice is the plan as written: it has no changes"),
                )
            elif choice.id != reading.default and not choice.changes:
                yield FieldProblem(
                    f"{path}.choices[{position}].changes",
                    MISSING,
                    _("a choice other than the default needs the changes that make it"),
                )
