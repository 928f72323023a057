"""The pages' message catalogs (Babel), kept complete.

    python -m consoleapp.sync.server.web.catalog          # update the .po files, list what is untranslated

Messages are extracted from the templates and this package's Python (`_`, `N_`, `translate`,
`tr`), plus every wording of the engine the pages show (wording.py). Existing translations are
kept; new messages arrive untranslated and are listed. The server reads the .po files at start.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from . import wording

HERE = Path(__file__).parent
LOCALES = ("fr",)
METHODS = [("templates/**.html", "jinja2"), ("**.py", "python")]
OPTIONS = {"templates/**.html": {"extensions": "jinja2.ext.i18n"}}
KEYWORDS = {"_": None, "N_": None, "gettext": None, "translate": (2,), "tr": None}


def template() -> Catalog:
    """Every message the pages can show, in English."""
    catalog = Catalog(project="Expert Console", locale="en")
    for filename, lineno, message, _comments, _context in extract_from_dir(
            HERE, METHODS, options_map=OPTIONS, keywords=KEYWORDS):
        if isinstance(message, str) and message:
            catalog.add(message, locations=[(filename, lineno)])
    for text in wording.all_wordings():
        catalog.add(text, locations=[("consoleapp/engine", 0)])
    return catalog


def path_of(locale: str) -> Path:
    return HERE / "translations" / locale / "LC_MESSAGES" / "messages.po"


def read(locale: str) -> Catalog:
    path = path_of(locale)
    if not path.is_file():
        return Catalog(locale=locale)
    with path.open("rb") as f:
        return read_po(f, locale=locale)


def missing(locale: str) -> list[str]:
    """Messages of the pages without a translation in `locale`."""
    known = read(locale)
    out = []
    for message in template():
        if not message.id:
            continue
        found = known.get(message.id)
        if found is None or not found.string:
            out.append(str(message.id))
    return sorted(out)


def update(locale: str) -> list[str]:
    """Merge new messages into the locale's catalog (translations kept, obsolete ones dropped)."""
    catalog = read(locale)
    catalog.update(template(), no_fuzzy_matching=True)
    catalog.obsolete.clear()
    path = path_of(locale)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as f:
        write_po(f, catalog, width=100, omit_header=False, sort_output=True, include_lineno=False)
    return missing(locale)


if __name__ == "__main__":
    left = {locale: update(locale) for locale in LOCALES}
    for locale, messages in left.items():
        for message in messages:
            print(f"{locale}: untranslated: {message!r}")
    sys.exit(1 if any(left.values()) else 0)
