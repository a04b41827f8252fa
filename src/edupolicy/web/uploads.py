"""Forms with files, read in memory and bounded.

Starlette's form parser (python-multipart underneath) spools a file of more than
1 MiB to a temporary file on disk.  The workbench keeps nothing on disk: the body is
read up to a limit (a larger one is refused before it is parsed further), and the
parser's spool is as large as that limit, so no part is ever rolled over to disk.
Each file's bytes are taken and the parser's buffer closed before the page is made.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Mapping, Sequence
from typing import Final
from urllib.parse import parse_qsl

import attrs
from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser
from starlette.requests import Request

from edupolicy.errors import EdupolicyError
from edupolicy.i18n import Count, _

__all__ = ["Form", "TooLarge", "Upload", "read_form"]

#: At most this many fields and files in a form.
_FIELDS: Final = 1000
_FILES: Final = 4


@attrs.frozen
class Upload:
    """A file sent with a form: its name as the browser gave it, and its bytes."""

    name: str
    data: bytes


@attrs.frozen
class Form:
    """A submitted form: each field's values, and each file by field name (the
    empty file inputs left out)."""

    fields: Mapping[str, Sequence[str]]
    files: Mapping[str, Upload]

    def get(self, name: str, default: str = "") -> str:
        """The first value of field ``name``."""
        values = self.fields.get(name)
        return values[0] if values else default


class TooLarge(EdupolicyError):
    """A request larger than the workbench reads."""


class _InMemory(MultiPartParser):
    """Starlette's parser, spooling up to ``limit`` bytes in memory: never to disk."""

    def __init__(self, request: Request, stream: AsyncGenerator[bytes, None], limit: int) -> None:
        super().__init__(
            request.headers, stream, max_files=_FILES, max_fields=_FIELDS, max_part_size=limit
        )
        self.spool_max_size = limit + 1


async def _bounded(request: Request, limit: int, locale: str) -> AsyncGenerator[bytes, None]:
    total = 0
    async for chunk in request.stream():
        total += len(chunk)
        if total > limit:
            raise _too_large(limit, locale)
        yield chunk


def _too_large(limit: int, locale: str) -> TooLarge:
    return TooLarge(_("The upload is larger than {limit} bytes", limit=Count(limit)), locale=locale)


def _grouped(pairs: Sequence[tuple[str, str]]) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for key, value in pairs:
        fields.setdefault(key, []).append(value)
    return fields


async def read_form(request: Request, limit: int, locale: str) -> Form:
    """The form of ``request`` (``multipart/form-data`` or url-encoded), at most
    ``limit`` bytes, read in memory; :class:`TooLarge` past the limit and
    :class:`~edupolicy.errors.EdupolicyError` for a body that is not a form."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise _too_large(limit, locale)
    kind = request.headers.get("content-type", "")
    fields: dict[str, list[str]] = {}
    files: dict[str, Upload] = {}
    try:
        if kind.startswith("multipart/form-data"):
            parsed = await _InMemory(request, _bounded(request, limit, locale), limit).parse()
        else:
            body = b"".join([chunk async for chunk in _bounded(request, limit, locale)])
            pairs = parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)
            return Form(fields=_grouped(pairs[:_FIELDS]), files={})
    except MultiPartException as exc:
        raise EdupolicyError(
            _("The form cannot be read: {error}", error=exc.message), locale=locale
        ) from None
    for key, value in parsed.multi_items():
        if isinstance(value, UploadFile):
            data = await value.read()
            await value.close()
            if value.filename and data:
                files[key] = Upload(value.filename, data)
        else:
            fields.setdefault(key, []).append(value)
    return Form(fields=fields, files=files)
