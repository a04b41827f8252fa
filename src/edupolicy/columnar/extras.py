"""The error raised when a module of :mod:`edupolicy.columnar` lacks its extra.

This module imports nothing optional, so that the error can be caught (and named)
whatever is installed.
"""

from __future__ import annotations

from edupolicy.errors import EdupolicyError
from edupolicy.i18n import _

__all__ = ["MissingExtraError"]


class MissingExtraError(EdupolicyError, ImportError):
    """A module of :mod:`edupolicy.columnar` needs an optional dependency that is not installed.

    It is an :class:`ImportError` too, raised when the module is imported: ``module``
    is what is missing, ``extra`` the extra of edupolicy that installs it.
    """

    def __init__(self, feature: str, *, module: str, extra: str) -> None:
        self.feature = feature
        self.module = module
        self.extra = extra
        super().__init__(
            _(
                "{feature} needs the {extra} extra: pip install 'edupolicy[{extra}]' "
                "({module} is not installed)",
                feature=feature,
                extra=extra,
                module=module,
            )
        )
        # ImportError's own attribute, for tools that read it.
        self.name = module
