"""Every visible string goes through `tr()`; French ships beside English. Qt's own pipeline:

- `pyside6-lupdate` extracts the strings: it reads `tr("…")` (a bare call, which it files under the
  empty context) and `tr("%n …", None, count)` as a plural. Each language has one Qt Linguist file,
  `translations/<language>.ts`; English's holds only the plural forms (`lupdate -pluralonly`).
- `pyside6-lrelease` compiles a `.ts` to a `.qm` the first time it is used, into the user's cache,
  named by the `.ts` file's hash: nothing compiled is committed, a fresh clone (or a merge that
  changed a catalog) gets a matching `.qm` on its first start, and a read-only install still works.
- A `QTranslator` per language loads it; Qt's own dialogs (OK, Cancel…) use the `qtbase_<language>.qm`
  that ships with PySide6.

    python -m consoleapp.ui.i18n --update     # re-extract into every .ts, then list what is untranslated
    python -m consoleapp.ui.i18n missing fr   # list what is untranslated without writing anything
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

import platformdirs
import PySide6
from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

log = logging.getLogger("consoleapp.ui")

CONTEXT = ""  # where lupdate files a bare `tr()` call
LANGUAGES = {"en": "English", "fr": "Français"}
HERE = Path(__file__).resolve().parent
CATALOGS = HERE / "translations"

_installed: list[QTranslator] = []


def tr(text: str, disambiguation: str | None = None, n: int = -1, /, **values: object) -> str:
    """The translation of `text`, with `{name}` placeholders filled from `values`.

    A plural passes its count third, as Qt does (`tr("%n file(s)", None, count)`): `%n` is the count and
    the language's catalog chooses the form. Keyword values named `n` are ordinary placeholders.
    """
    found = QCoreApplication.translate(CONTEXT, text, disambiguation, n)
    return found.format(**values) if values else found


# --- the tools -----------------------------------------------------------------------------------


def tool(name: str) -> Path:
    """PySide6's own `lupdate`/`lrelease`, shipped inside the wheel (no PATH needed)."""
    suffix = ".exe" if sys.platform == "win32" else ""
    for place in (Path(PySide6.__file__).parent / f"{name}{suffix}",
                  Path(PySide6.__file__).parent / "Qt" / "libexec" / f"{name}{suffix}"):
        if place.exists():
            return place
    found = shutil.which(f"pyside6-{name}") or shutil.which(name)
    if found is None:
        raise FileNotFoundError(f"Qt's {name} is not installed (it comes with the PySide6 package)")
    return Path(found)


def catalog(language: str) -> Path:
    return CATALOGS / f"{language}.ts"


def sources(root: Path = HERE) -> list[Path]:
    return sorted(root.rglob("*.py"))


def extract(language: str, ts: Path | None = None) -> Path:
    """Run lupdate over the UI's code into `ts` (default: the language's catalog, updated in place).

    Translations of strings still in use are kept; strings no longer used are dropped; new ones are
    `type="unfinished"`. No line numbers are written, so a catalog changes only when its words do.
    """
    ts = ts or catalog(language)
    args = [str(tool("lupdate")), "-silent", "-locations", "none", "-no-obsolete", "-target-language",
            "en_GB" if language == "en" else language]
    if language == "en":
        args.append("-pluralonly")  # English needs only the plural forms; every other text is its own
    subprocess.run([*args, *map(str, sources()), "-ts", str(ts)], check=True, capture_output=True, timeout=120)
    return ts


def untranslated(ts: Path) -> list[str]:
    """The sources of a `.ts` still to translate: unfinished, or a plural with an empty form."""
    out = []
    for message in ET.parse(ts).getroot().iter("message"):
        translation = message.find("translation")
        if translation is None:
            continue
        forms = [f.text or "" for f in translation.iter("numerusform")] if message.get("numerus") == "yes" else []
        empty = not all(forms) if forms else not (translation.text or "").strip()
        if translation.get("type") == "unfinished" or empty:
            out.append(message.findtext("source") or "")
    return out


def missing(language: str) -> list[str]:
    """What the code says that the language's catalog does not translate (the catalog is not written)."""
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / f"{language}.ts"
        shutil.copyfile(catalog(language), copy)
        return untranslated(extract(language, copy))


def compiled(language: str) -> Path:
    """The language's `.qm`, compiled by lrelease on first use into the cache (named by the `.ts`'s hash)."""
    ts = catalog(language)
    digest = hashlib.sha256(ts.read_bytes()).hexdigest()[:16]
    folder = Path(platformdirs.user_cache_dir("consoleapp")) / "translations"
    qm = folder / f"{language}-{digest}.qm"
    if qm.exists():
        return qm
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{language}.", suffix=".qm", dir=folder)
    os.close(fd)
    try:
        subprocess.run([str(tool("lrelease")), "-silent", str(ts), "-qm", tmp], check=True, capture_output=True,
                       timeout=120)
        os.replace(tmp, qm)  # atomic: two starts at once both end with a whole file
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
    return qm


# --- using them ----------------------------------------------------------------------------------


def install(language: str) -> str:
    """Use `language` ('en', 'fr'; anything else falls back to English) from now on."""
    app = QCoreApplication.instance()
    for old in _installed:
        if app is not None:
            app.removeTranslator(old)
    _installed.clear()
    language = language if language in LANGUAGES else "en"
    QLocale.setDefault(QLocale(language))
    if app is None:
        return language
    qt = QTranslator()
    if language != "en" and qt.load(f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt)
        _installed.append(qt)
    ours = QTranslator()
    try:
        loaded = ours.load(str(compiled(language)))
    except (OSError, subprocess.SubprocessError) as exc:  # no lrelease: the window still opens, in English
        log.warning("the %s translation could not be compiled (%s); showing English", language, exc)
        loaded = False
    if loaded:
        app.installTranslator(ours)
        _installed.append(ours)
    return language


def system_language() -> str:
    name = QLocale.system().name()[:2]
    return name if name in LANGUAGES else "en"


def main(argv: list[str]) -> int:
    if argv[:1] == ["--update"]:
        found = False
        for language in LANGUAGES:
            extract(language)
            for text in untranslated(catalog(language)):
                found = True
                print(f"{catalog(language).relative_to(HERE)}: untranslated: {text!r}")
        return 1 if found else 0
    if argv[:1] == ["missing"]:
        texts = missing(argv[1] if len(argv) > 1 else "fr")
        for text in texts:
            print(f"untranslated: {text!r}")
        return 1 if texts else 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
