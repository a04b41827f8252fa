"""Writing the results of a roster as they come: JSON Lines, JSON, or blocks of text.

Each result is written as soon as its record is evaluated, and nothing is kept of a
result once it is written.  When the input may wait on whoever writes it (standard
input from a pipe or a terminal), standard output is flushed with each result: the
first result is out before the second record is read.  From a regular file, results
are written in blocks, as the output's buffer fills, and flushed at the end.

* ``--format jsonl`` (:class:`JsonResults` with ``lines``): one compact JSON object per
  line (no space after ``,`` and ``:``), ``result.to_json(locale)``, whatever the shape
  of the input.
* ``--format json`` (:class:`JsonResults`): one shape out per input shape.  One JSON
  object in gives one result object out (nothing, when the record could not be used);
  a JSON list or JSON Lines in gives a list out, written item by item: the same bytes
  as ``json.dumps(results, indent=2)``.
* ``--format table`` (:class:`TextResults`): the heading, then a block per record.

Most students of a roster share their outcome with others: an aid result differs from
another of the same outcome by its id alone.  :class:`ByOutcome` makes what depends on
the outcome (the JSON text around the id, the rows of a block) once per outcome, the
result's :attr:`~edupolicy.rules.Result.outcome`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import IO, Any, Generic, Protocol, TypeVar

from edupolicy.aid import AidResult
from edupolicy.cli._io import Batch, Context, Entry
from edupolicy.io.results import outcome_parts
from edupolicy.io.views import Kind, Member, nested_view
from edupolicy.rules import Result
from edupolicy.teachers import TeacherResult

__all__ = ["ByOutcome", "JsonResults", "TextResults"]

V = TypeVar("V")


class ToJson(Protocol):
    """A result: its JSON shape in a locale."""

    def to_json(self, locale: str | None = None) -> Mapping[str, Any]: ...


R = TypeVar("R", bound="Result[Any]")


class ByOutcome(Generic[R, V]):
    """``make(result)`` of results, made once per outcome and date and kept for the next.

    Results share an outcome when their :attr:`~edupolicy.rules.Result.outcome` is the
    very same object, as the results of one table entry of a plan's evaluator are; with
    the date, it fixes everything of the result but what is its subject's own (its id; a
    teacher's service) (an outcome is made by one plan's evaluator, which gives it the
    same region, plan and readings in every result).
    Each outcome kept is held, so no other object can take its identity.  At most
    ``limit`` outcomes are kept: past that, the store starts again, and memory stays flat.
    """

    __slots__ = ("_kept", "_limit", "_make")

    def __init__(self, make: Callable[[R], V], *, limit: int = 4096) -> None:
        self._make = make
        self._limit = limit
        self._kept: dict[tuple[int, object], tuple[object, V]] = {}

    def __call__(self, result: R) -> V:
        outcome = result.outcome
        key = (id(outcome), result.on)
        kept = self._kept.get(key)
        if kept is None:
            if len(self._kept) >= self._limit:
                self._kept.clear()
            kept = self._kept[key] = (outcome, self._make(result))
        return kept[1]


#: ``json.dumps(data, ensure_ascii=False, separators=(",", ":"))``, its encoder made once
#: (``json.dumps`` makes one for each call given its own separators).
_compact = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def _dumps(data: object, indent: int | None, ascii: bool = False) -> str:
    if indent is None:
        # JSON Lines: compact, one line.
        if not ascii:
            return _compact(data)
        return json.dumps(data, ensure_ascii=ascii, separators=(",", ":"))
    return json.dumps(data, ensure_ascii=ascii, indent=indent)


#: An id as JSON: a string, non-ASCII text as is, or ``null``.
_id_json = json.JSONEncoder(ensure_ascii=False).encode


def _nested(text: str) -> str:
    """``text``, a JSON value indented by 2, as an item of a list indented by 2."""
    return "  " + text.replace("\n", "\n  ")


def _template(runs: list[dict[str, Any]], own: list[str], indent: int | None) -> list[str]:
    """The JSON text of the object whose members are ``runs[0]``, then each member named in
    ``own`` followed by the next run, as :func:`_dumps` writes it, cut before the value of
    each member of ``own``: made member by member, as :mod:`json` makes an object's text
    (each member's value indented one level more)."""
    if indent is None:
        comma, colon, start, end = ",", ":", "{", "}"
    else:
        pad = "\n" + " " * indent
        comma, colon, start, end = "," + pad, ": ", "{" + pad, "\n}"
    chunks: list[str] = []
    text, first = start, True
    for index, run in enumerate(runs):
        for name, value in run.items():
            text += ("" if first else comma) + _dumps(name, indent) + colon + _value(value, indent)
            first = False
        if index < len(own):
            text += ("" if first else comma) + _dumps(own[index], indent) + colon
            first = False
            chunks.append(text)
            text = ""
    chunks.append(text + end)
    return chunks


def _value(value: object, indent: int | None) -> str:
    """``value``'s JSON text as a member's value: indented one level more."""
    text = _dumps(value, indent)
    return text if indent is None else text.replace("\n", "\n" + " " * indent)


class JsonResults:
    """Results written as JSON as they come: JSON Lines, or one shape per input shape."""

    def __init__(self, ctx: Context, batch: Batch, *, lines: bool, flush: bool = True) -> None:
        self._ctx = ctx
        self._out = ctx.out
        self._flush = flush
        self._batch = batch
        self._lines = lines
        self._indent = None if lines else 2
        self._count = 0
        self._alone = False
        self._around: ByOutcome[Result[Any], tuple[list[str], list[Member]]] = ByOutcome(
            self._template
        )

    def write(self, entry: Entry, result: ToJson) -> None:
        """Write ``result``, the result of the record of ``entry``."""
        text = self._text(result)
        if self._lines or (self._count == 0 and entry.alone):
            self._alone = not self._lines
            start, end = "", "\n"
        else:
            start, end = ("[\n" if self._count == 0 else ",\n"), ""
            text = _nested(text)
        try:
            self._out.write(start + text + end)
        except UnicodeEncodeError:
            # Text the output stream cannot encode (an unpaired surrogate in an id) is
            # written as JSON escapes instead (the stream wrote nothing of the first try).
            text = _dumps(result.to_json(self._ctx.locale), self._indent, ascii=True)
            self._out.write(start + (text if self._lines or self._alone else _nested(text)) + end)
        self._count += 1
        if self._flush:
            self._out.flush()

    def close(self) -> None:
        """End the output: close the list (``[]`` when no record could be used)."""
        if self._lines or self._alone:
            return
        if self._count:
            self._out.write("\n]\n")
        elif not self._batch.single:
            self._out.write("[]\n")
        self._out.flush()

    def _text(self, result: ToJson) -> str:
        if type(result) in (AidResult, TeacherResult):
            written: Result[Any] = result  # type: ignore[assignment]
            chunks, own = self._around(written)
            if len(own) == 1 and own[0].key == "id":  # the id alone: an aid result
                return chunks[0] + _id_json(written.subject_id) + chunks[1]
            locale, indent = self._ctx.locale, self._indent
            if indent is None:
                return _line(written, chunks, own, locale)
            text = chunks[0]
            for part, chunk in zip(own, chunks[1:], strict=True):
                found = part.get(written)
                if part.key == "id":  # the subject's id: text or null
                    text += _id_json(found) + chunk
                elif found is None and part.optional:
                    return _dumps(result.to_json(locale), indent)
                else:
                    value = None if found is None else part.kind.write(found, locale)
                    text += _value(value, indent) + chunk
            return text
        return _dumps(result.to_json(self._ctx.locale), self._indent)

    def _template(self, result: Result[Any]) -> tuple[list[str], list[Member]]:
        """The JSON text of ``result`` around its own members: its outcome's, on its date."""
        runs, own = outcome_parts(result, self._ctx.locale)
        return _template(runs, [part.key for part in own], self._indent), own


def _line(result: Result[Any], chunks: list[str], own: list[Member], locale: str | None) -> str:
    """The JSON Lines text of ``result`` from its outcome's ``chunks`` around its ``own``
    members: each own member's value written in place (a nested object of plain members
    member by member, :func:`_flat`), the line joined once."""
    pieces = [chunks[0]]
    for part, chunk in zip(own, chunks[1:], strict=True):
        found = part.get(result)
        if part.key == "id":  # the subject's id: text or null
            pieces.append(_id_json(found))
        elif found is None:
            if part.optional:
                return _compact(result.to_json(locale))
            pieces.append("null")
        else:
            flat = _flat(part.kind, locale)
            if flat is None:
                pieces.append(_compact(part.kind.write(found, locale)))
            else:
                for text, member, kept in flat:
                    pieces.append(text)
                    value = member.get(found)
                    try:
                        written = kept[value]
                        if written[0] is not type(value):  # equal, but not alike (1, True)
                            raise KeyError(value)
                    except KeyError:
                        written = (type(value), _member_text(member, value, locale))
                        if len(kept) < _TEXTS_KEPT:
                            kept[value] = written
                    except TypeError:  # a value that is no key: written each time
                        written = (type(value), _member_text(member, value, locale))
                    pieces.append(written[1])
                pieces.append("}")
        pieces.append(chunk)
    return "".join(pieces)


def _member_text(member: Member, value: object, locale: str | None) -> str:
    """The compact JSON text of a member's ``value`` (``None``: ``null``)."""
    written: Any = None if value is None else member.kind.write(value, locale)
    kind = type(written)
    if kind is str:
        return _json_text(written)
    if kind is int:
        return int.__repr__(written)
    return _compact(written)


#: A string's JSON text as ``json`` writes it with ``ensure_ascii=False``.
_json_text: Callable[[str], str] = json.encoder.encode_basestring

#: A member of a nested object, the compact JSON text before its value, and the texts of
#: its values written so far (a value's type and text, by value).
_FlatMember = tuple[str, Member, dict[object, tuple[type, str]]]

#: What :func:`_flat` found of each kind, in each locale.
_FLAT: dict[tuple[int, str | None], tuple[Kind, tuple[_FlatMember, ...] | None]] = {}

#: How many texts of its values each member keeps, at most (the days and counts of a
#: roster's services: a few thousand).
_TEXTS_KEPT = 1 << 14


def _flat(kind: Kind, locale: str | None) -> tuple[_FlatMember, ...] | None:
    """For a nested object none of whose members may be left out (:func:`nested_view`),
    each member with the compact JSON text before its value (``{"on":``, then
    ``,"current_school_area":``…) and the texts of its values kept, in ``locale``;
    ``None`` for any other kind."""
    found = _FLAT.get((id(kind), locale))
    if found is None:
        view = nested_view(kind)
        members = view.members if view is not None else ()
        flat: tuple[_FlatMember, ...] | None = (
            tuple(
                (("{" if index == 0 else ",") + _compact(part.key) + ":", part, {})
                for index, part in enumerate(members)
            )
            if members and not any(part.optional for part in members)
            else None
        )
        found = _FLAT[(id(kind), locale)] = (kind, flat)
    return found[1]


class TextResults:
    """Blocks of text written as they come: the heading first, a blank line between two.

    The heading is written with the first block (or at the end, when there is none), so
    that an input that cannot be read at all leaves standard output empty.
    """

    def __init__(self, out: IO[str], heading: Callable[[], str], *, flush: bool = True) -> None:
        self._out = out
        self._flush = flush
        self._heading: Callable[[], str] | None = heading
        self._first = True

    def write(self, lines: list[str]) -> None:
        """Write one block, its lines."""
        self.write_block("\n".join(lines))

    def write_block(self, block: str) -> None:
        """Write one block, its lines joined by line breaks."""
        self._start()
        self._out.write(("" if self._first else "\n") + block + "\n")
        self._first = False
        if self._flush:
            self._out.flush()

    def close(self) -> None:
        """End the output (the heading alone, when no record could be used)."""
        self._start()
        self._out.flush()

    def _start(self) -> None:
        if self._heading is not None:
            self._out.write(self._heading() + "\n\n")
            self._heading = None
