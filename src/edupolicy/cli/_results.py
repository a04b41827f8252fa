"""Writing the results of a roster as they come: JSON Lines, JSON, or blocks of text.

Each result is written, and standard output flushed, as soon as its record is
evaluated: the first result is out before the second record is read, and nothing is
kept of a result once it is written.

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
the outcome (the JSON text around the id, the rows of a block) once per outcome.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from operator import attrgetter
from typing import IO, Any, Generic, Protocol, TypeVar

import attrs

from edupolicy.aid import AidResult
from edupolicy.cli._io import Batch, Context, Entry

__all__ = ["ByOutcome", "JsonResults", "TextResults"]

V = TypeVar("V")

#: The fields of an aid result but its id: what it shares with the results of its outcome.
_OUTCOME_FIELDS = tuple(f.name for f in attrs.fields(AidResult) if f.name != "student_id")
_outcome_of = attrgetter(*_OUTCOME_FIELDS)


def _outcome_key(result: AidResult) -> tuple[int, ...]:
    """The identities of every field of ``result`` but its id."""
    return tuple(map(id, _outcome_of(result)))


def _outcome_key_spelt(r: AidResult) -> tuple[int, ...]:
    """:func:`_outcome_key` spelt out, the faster for it (one key is made per record)."""
    return (
        id(r.items),
        id(r.cash_total),
        id(r.waivers),
        id(r.notes),
        id(r.not_applied),
        id(r.region),
        id(r.plan),
        id(r.on),
        id(r.readings),
        id(r.currency),
    )


_SPELT = {"items", "cash_total", "waivers", "notes", "not_applied"}
_SPELT |= {"region", "plan", "on", "readings", "currency"}
#: The key of a result's outcome: spelt out while these are all the fields but the id
#: (one more, and the general key serves).
_key: Callable[[AidResult], tuple[int, ...]] = (
    _outcome_key_spelt if set(_OUTCOME_FIELDS) == _SPELT else _outcome_key
)
#: An id no record has, to find where the id goes in a result's JSON.
_PROBE = "\x00edupolicy-id\x00"


class ToJson(Protocol):
    """A result: its JSON shape in a locale."""

    def to_json(self, locale: str | None = None) -> Mapping[str, Any]: ...


class ByOutcome(Generic[V]):
    """``make(result)`` of aid results, made once per outcome and kept for the next.

    Two results share an outcome when every field but the id is the very same object,
    as the results of one compiled table entry are (:class:`~edupolicy.aid.CompiledAid`);
    equal objects, equal results but for the id.  Each result kept holds its fields, so
    no other object can take the identity of one of them.  At most ``limit`` outcomes
    are kept: past that, the store starts again, and memory stays flat.
    """

    __slots__ = ("_kept", "_limit", "_make")

    def __init__(self, make: Callable[[AidResult], V], *, limit: int = 4096) -> None:
        self._make = make
        self._limit = limit
        self._kept: dict[tuple[int, ...], tuple[AidResult, V]] = {}

    def __call__(self, result: AidResult) -> V:
        key = _key(result)
        kept = self._kept.get(key)
        if kept is None:
            if len(self._kept) >= self._limit:
                self._kept.clear()
            kept = self._kept[key] = (result, self._make(result))
        return kept[1]


def _dumps(data: object, indent: int | None, ascii: bool = False) -> str:
    if indent is None:
        # JSON Lines: compact, one line.
        return json.dumps(data, ensure_ascii=ascii, separators=(",", ":"))
    return json.dumps(data, ensure_ascii=ascii, indent=indent)


#: An id as JSON: a string, non-ASCII text as is, or ``null``.
_id_json = json.JSONEncoder(ensure_ascii=False).encode


def _nested(text: str) -> str:
    """``text``, a JSON value indented by 2, as an item of a list indented by 2."""
    return "  " + text.replace("\n", "\n  ")


class JsonResults:
    """Results written as JSON as they come: JSON Lines, or one shape per input shape."""

    def __init__(self, ctx: Context, batch: Batch, *, lines: bool) -> None:
        self._ctx = ctx
        self._out = ctx.out
        self._batch = batch
        self._lines = lines
        self._indent = None if lines else 2
        self._count = 0
        self._alone = False
        self._around: ByOutcome[tuple[str, str] | None] = ByOutcome(self._template)

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
        if type(result) is AidResult:
            around = self._around(result)
            if around is not None:
                return around[0] + _id_json(result.student_id) + around[1]
        return _dumps(result.to_json(self._ctx.locale), self._indent)

    def _template(self, result: AidResult) -> tuple[str, str] | None:
        """The JSON text of ``result``'s outcome before and after its id; ``None`` when
        the id is not one value of it."""
        probe = attrs.evolve(result, student_id=_PROBE)
        text = _dumps(probe.to_json(self._ctx.locale), self._indent)
        marker = json.dumps(_PROBE)
        if text.count(marker) != 1:
            return None
        before, after = text.split(marker)
        return before, after


class TextResults:
    """Blocks of text written as they come: the heading first, a blank line between two.

    The heading is written with the first block (or at the end, when there is none), so
    that an input that cannot be read at all leaves standard output empty.
    """

    def __init__(self, out: IO[str], heading: Callable[[], str]) -> None:
        self._out = out
        self._heading: Callable[[], str] | None = heading
        self._first = True

    def write(self, lines: list[str]) -> None:
        """Write one block, its lines."""
        self._start()
        self._out.write(("" if self._first else "\n") + "\n".join(lines) + "\n")
        self._first = False
        self._out.flush()

    def close(self) -> None:
        """End the output (the heading alone, when no record could be used)."""
        self._start()
        self._out.flush()

    def _start(self) -> None:
        if self._heading is not None:
            self._out.write(self._heading() + "\n\n")
            self._heading = None
