"""Deprecated until 0.3: edupolicy 0.1.0's module of the student record and money.

Its names moved to :mod:`edupolicy` (``Student``, ``Stage``, ``Household``,
``SchoolArea``, ``money``), :mod:`edupolicy.aid` and :mod:`edupolicy.values`. Each still
works here, with a ``DeprecationWarning`` that names its new spelling; the CHANGELOG
lists them.
"""

import typing

if not typing.TYPE_CHECKING:

    def __getattr__(name: str) -> object:
        from edupolicy._deprecated import moved

        return moved(__name__, name)
