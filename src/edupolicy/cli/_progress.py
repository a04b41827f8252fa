"""The progress bar of a roster being read: tqdm's, on standard error, on a terminal only.

The bar counts the records read and their rate; it is drawn only when standard error is
a terminal and standard output is not (when both are the same terminal, the results
themselves show the progress, and a bar would be drawn through them), and never with
``--no-progress``.  tqdm is imported only when a bar is drawn, so the commands start
as fast without one.  Lines written on standard error while the bar is drawn (a
rejected record) are written above it, through :meth:`Progress.write`.
"""

from __future__ import annotations

from typing import IO, TYPE_CHECKING, NoReturn

if TYPE_CHECKING:
    from tqdm import tqdm

__all__ = ["Progress", "is_terminal"]


def is_terminal(stream: IO[str]) -> bool:
    """Whether ``stream`` is a terminal (a closed or unusual stream is not)."""
    try:
        return stream.isatty()
    except (AttributeError, ValueError, OSError):
        return False


class Progress:
    """The bar of one roster while it is read, or nothing (:meth:`off`)."""

    __slots__ = ("_bar", "_err")

    def __init__(self, err: IO[str], bar: tqdm[NoReturn] | None) -> None:
        self._err = err
        self._bar = bar

    @classmethod
    def off(cls, err: IO[str]) -> Progress:
        """No bar: :meth:`step` does nothing, :meth:`write` writes plainly."""
        return cls(err, None)

    @classmethod
    def on(cls, err: IO[str], *, name: str, unit: str) -> Progress:
        """A bar on ``err``, headed ``name``, counting ``unit`` (``records``)."""
        from tqdm import tqdm

        # leave=False: the bar is erased when the roster is read, and the summary follows.
        return cls(err, tqdm(desc=name, unit=" " + unit, file=err, leave=False, dynamic_ncols=True))

    @property
    def shown(self) -> bool:
        """Whether a bar is drawn."""
        return self._bar is not None

    def step(self) -> None:
        """One more record read."""
        if self._bar is not None:
            self._bar.update()

    def write(self, text: str) -> None:
        """Write ``text`` on standard error, above the bar if one is drawn."""
        if self._bar is None:
            self._err.write(text)
            return
        with self._bar.external_write_mode(file=self._err):
            self._err.write(text)

    def close(self) -> None:
        """Erase the bar."""
        if self._bar is not None:
            self._bar.close()
            self._bar = None
