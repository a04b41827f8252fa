"""What the maintenance tools share: ``update`` writes, ``check`` lists what is wrong."""

from __future__ import annotations

from collections.abc import Callable, Iterable


def run(
    argv: list[str],
    *,
    update: Callable[[], None],
    problems: Callable[[], Iterable[str]],
    what: str,
    usage: str | None,
) -> int:
    """Run ``update`` or ``check`` (``argv[1]``); the exit status.

    ``check`` prints each problem and a count of ``what`` problems; 1 when there is one.
    Anything else prints ``usage`` and exits with 2.
    """
    if argv[1:] == ["update"]:
        update()
        return 0
    if argv[1:] == ["check"]:
        found = list(problems())
        for line in found:
            print(line)
        print(f"{len(found)} {what} problem(s)")
        return 1 if found else 0
    print(usage)
    return 2
