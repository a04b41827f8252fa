"""Charts drawn on the server as inline SVG: no script, nothing fetched.

:func:`bars` draws rows of horizontal bars, one bar per series in each row (cash
before and after, by stage); :func:`stacked` draws one bar per row split into parts
(students who gain, lose, stay the same).  The values are the library's numbers; the
charts only scale them to pixels, and each bar carries its value as a title.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Final

from markupsafe import Markup, escape

__all__ = ["bars", "stacked"]

#: Colours of the series: before, after; gain, lose, same.
SERIES: Final = ("#8aa4c2", "#0b5cad")
PARTS: Final = ("#1b7f3b", "#b3261e", "#c5ccd4")
_LABEL: Final = 190
_WIDTH: Final = 860
_ROW: Final = 22


def _scale(value: Decimal, top: Decimal) -> float:
    return 0.0 if top <= 0 else float(value / top) * (_WIDTH - _LABEL - 110)


def bars(
    rows: Sequence[tuple[str, Sequence[tuple[Decimal, str]]]],
    series: Sequence[str],
    *,
    title: str,
) -> Markup:
    """Each row's label and its values (each with the text shown beside its bar), one
    bar per series; a legend names the series."""
    top = max((value for _label, values in rows for value, _text in values), default=Decimal(0))
    per_row = _ROW * max(len(series), 1) + 10
    height = 30 + per_row * len(rows)
    parts = [_open(title, height), _legend(series, SERIES)]
    for index, (label, values) in enumerate(rows):
        y = 30 + index * per_row
        parts.append(_text(_LABEL - 8, y + per_row / 2, label, anchor="end"))
        for number, (value, text) in enumerate(values):
            width = max(_scale(abs(value), top), 1.0)
            by = y + number * _ROW
            colour = SERIES[number % len(SERIES)]
            parts.append(
                f'<rect x="{_LABEL}" y="{by}" width="{width:.1f}" height="{_ROW - 4}" '
                f'fill="{colour}"><title>{escape(series[number])}: {escape(text)}</title></rect>'
            )
            parts.append(_text(_LABEL + width + 6, by + _ROW / 2, text))
    parts.append("</svg>")
    return Markup("".join(parts))


def stacked(
    rows: Sequence[tuple[str, Sequence[int]]], names: Sequence[str], *, title: str
) -> Markup:
    """Each row's label and its counts, drawn as one bar split in parts."""
    top = max((sum(counts) for _label, counts in rows), default=0)
    height = 30 + (_ROW + 6) * len(rows)
    parts = [_open(title, height), _legend(names, PARTS)]
    for index, (label, counts) in enumerate(rows):
        y = 30 + index * (_ROW + 6)
        parts.append(_text(_LABEL - 8, y + _ROW / 2, label, anchor="end"))
        x = float(_LABEL)
        for number, count in enumerate(counts):
            width = _scale(Decimal(count), Decimal(top))
            if count:
                parts.append(
                    f'<rect x="{x:.1f}" y="{y}" width="{max(width, 1.0):.1f}" height="{_ROW}" '
                    f'fill="{PARTS[number % len(PARTS)]}"><title>{escape(names[number])}: '
                    f"{count}</title></rect>"
                )
            x += width
        parts.append(_text(x + 6, y + _ROW / 2, " / ".join(str(c) for c in counts)))
    parts.append("</svg>")
    return Markup("".join(parts))


def _open(title: str, height: float) -> str:
    return (
        f'<svg class="chart" viewBox="0 0 {_WIDTH} {height:.0f}" role="img" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
    )


def _legend(names: Sequence[str], colours: Sequence[str]) -> str:
    out = []
    x = float(_LABEL)
    for index, name in enumerate(names):
        colour = colours[index % len(colours)]
        out.append(f'<rect x="{x:.0f}" y="6" width="12" height="12" fill="{colour}"/>')
        out.append(_text(x + 16, 12, name))
        x += 30 + 9 * len(name)
    return "".join(out)


def _text(x: float, y: float, text: str, *, anchor: str = "start") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" dominant-baseline="middle" text-anchor="{anchor}">'
        f"{escape(text)}</text>"
    )
