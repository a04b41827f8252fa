"""Maintain the message catalogues of edupolicy and its bundled plugin.

``python tools/catalogs.py update``
    Extract every message of the code into each domain's template (``.pot``) and
    merge the template into each locale's ``.po`` (new messages arrive untranslated).
``python tools/catalogs.py check``
    Fail when a template is out of date with the code, or when a ``zh_CN`` message
    is missing, empty or fuzzy.  ``nox -s i18n`` runs this.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import _command
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
#: Each message domain and the package whose code it holds.
DOMAINS = {
    "edupolicy": ROOT / "src" / "edupolicy",
    "edupolicy_jinfeng": ROOT / "src" / "edupolicy_jinfeng",
}
LOCALES = ("zh_CN", "en")
#: Locales whose every message must be translated.
REQUIRED = ("zh_CN",)


def extract(package: Path) -> Catalog:
    """Every ``_("...")`` and ``_n("...", "...")`` message of ``package``'s code, sorted,
    without line numbers."""
    catalog = Catalog(project="edupolicy", charset="utf-8")
    found = extract_from_dir(
        str(package),
        method_map=[("**.py", "python")],
        keywords={"_": None, "_n": (1, 2)},
        comment_tags=("TRANSLATORS:",),
    )
    for filename, _lineno, message, comments, context in found:
        catalog.add(message, None, [(filename, 0)], auto_comments=comments, context=context)
    return catalog


def _paths(domain: str, package: Path) -> tuple[Path, dict[str, Path]]:
    locale_dir = package / "locale"
    pot = locale_dir / f"{domain}.pot"
    return pot, {loc: locale_dir / loc / "LC_MESSAGES" / f"{domain}.po" for loc in LOCALES}


def _write(catalog: Catalog, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(
            handle, catalog, sort_output=True, omit_header=False, include_lineno=False, width=100
        )


def _read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


def update() -> None:
    """Refresh templates and merge them into the ``.po`` files."""
    for domain, package in DOMAINS.items():
        pot, pos = _paths(domain, package)
        template = extract(package)
        _write(template, pot)
        for locale, po in pos.items():
            catalog = (
                _read(po, locale) if po.exists() else Catalog(locale=locale, project="edupolicy")
            )
            catalog.update(template, no_fuzzy_matching=True)
            catalog.obsolete.clear()
            if locale == "en":
                for message in catalog:
                    string = message.string
                    untranslated = not string or (isinstance(string, tuple) and not all(string))
                    if message.id and untranslated:
                        message.string = message.id
            _write(catalog, po)
        print(f"{domain}: {len(template)} messages")


def problems() -> Iterator[str]:
    """What is out of date or untranslated."""
    for domain, package in DOMAINS.items():
        pot, pos = _paths(domain, package)
        current = {m.id for m in extract(package) if m.id}
        if not pot.exists():
            yield f"{pot.relative_to(ROOT)}: missing; run `python tools/catalogs.py update`"
            continue
        stored = {m.id for m in _read(pot) if m.id}
        for msgid in sorted(current - stored, key=str):
            yield f"{pot.relative_to(ROOT)}: template lacks {msgid!r}; run `nox -s update_catalogs`"
        for msgid in sorted(stored - current, key=str):
            yield f"{pot.relative_to(ROOT)}: template has {msgid!r}, which the code no longer uses"
        for locale, po in pos.items():
            if not po.exists():
                yield f"{po.relative_to(ROOT)}: missing"
                continue
            catalog = _read(po, locale)
            have = {m.id: m for m in catalog if m.id}
            if locale not in REQUIRED:
                continue
            for msgid in sorted(current, key=str):
                message = have.get(msgid)
                if (
                    message is None
                    or not message.string
                    or (isinstance(message.string, tuple) and not all(message.string))
                ):
                    yield f"{po.relative_to(ROOT)}: no translation for {msgid!r}"
                elif message.fuzzy:
                    yield f"{po.relative_to(ROOT)}: fuzzy translation for {msgid!r}"


def main(argv: list[str]) -> int:
    """Run ``update`` or ``check``."""
    return _command.run(argv, update=update, problems=problems, what="catalogue", usage=__doc__)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
