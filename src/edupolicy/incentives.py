"""Deprecated until 0.3: edupolicy 0.1.0's module of teacher incentives.

Its names moved to :mod:`edupolicy.teachers`, :mod:`edupolicy.rules` and
:mod:`edupolicy`; its functions that took a policy first are methods of ``Policy``.
Each still works here, with a ``DeprecationWarning`` that names its new spelling; the
CHANGELOG lists them, and the names with no faithful new spelling.
"""

import typing

if not typing.TYPE_CHECKING:

    def __getattr__(name: str) -> object:
        from edupolicy._deprecated import moved

        return moved(__name__, name)
