"""Every visible string goes through `tr()`; French ships beside English.

Catalogs are Qt Linguist `.ts` files under `translations/<language>/` (one per area of the
window, so they stay small), read at start by `Catalog`, a QTranslator, so `tr()` and Qt's
own `translate()` see the same words without a compile step. Qt's own dialogs (OK, Cancel…)
use the `qtbase_<language>.qm` that ships with PySide6.

    python -m consoleapp.ui.i18n missing fr   # strings used in the code without a French entry
"""

from __future__ import annotations

import ast
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

CONTEXT = "consoleapp"
LANGUAGES = {"en": "English", "fr": "Français"}
HERE = Path(__file__).resolve().parent
CATALOGS = HERE / "translations"

_installed: list[QTranslator] = []


def tr(text: str, /, **values: object) -> str:
    """The translation of `text`, with `{name}` placeholders filled from `values`."""
    found = QCoreApplication.translate(CONTEXT, text)
    return found.format(**values) if values else found


def load(language: str) -> dict[str, str]:
    """source -> translation from every `.ts` file of a language (unfinished entries skipped)."""
    table: dict[str, str] = {}
    for path in sorted((CATALOGS / language).glob("*.ts")):
        root = ET.parse(path).getroot()
        for message in root.iter("message"):
            source = message.findtext("source")
            translation = message.find("translation")
            if source is None or translation is None or translation.get("type") == "unfinished":
                continue
            if translation.text:
                table[source] = translation.text
    return table


class Catalog(QTranslator):
    def __init__(self, language: str) -> None:
        super().__init__()
        self.language = language
        self.table = load(language)

    def translate(self, context: str, source: str, disambiguation: str | None = None, n: int = -1) -> str:  # type: ignore[override]
        return self.table.get(source, "")

    def isEmpty(self) -> bool:  # noqa: N802 (Qt's name)
        return not self.table


def install(language: str) -> str:
    """Use `language` ('en', 'fr'; anything else falls back to English) from now on."""
    app = QCoreApplication.instance()
    for old in _installed:
        if app is not None:
            app.removeTranslator(old)
    _installed.clear()
    language = language if language in LANGUAGES else "en"
    QLocale.setDefault(QLocale(language))
    if language == "en" or app is None:
        return language
    catalog = Catalog(language)
    qt = QTranslator()
    if qt.load(f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt)
        _installed.append(qt)
    app.installTranslator(catalog)
    _installed.append(catalog)
    return language


def system_language() -> str:
    name = QLocale.system().name()[:2]
    return name if name in LANGUAGES else "en"


# --- checking the catalogs ----------------------------------------------------------------------


def used_strings(root: Path = HERE) -> Iterator[tuple[str, Path, int]]:
    """Every literal passed to `tr(...)` in the UI code: (text, file, line)."""
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "tr"
                    and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                yield node.args[0].value, path, node.lineno


def missing(language: str) -> list[tuple[str, Path, int]]:
    table = load(language)
    seen: set[str] = set()
    out = []
    for text, path, line in used_strings():
        if text not in table and text not in seen:
            seen.add(text)
            out.append((text, path, line))
    return out


def ts_entry(source: str, translation: str = "") -> str:
    from xml.sax.saxutils import escape

    kind = "" if translation else ' type="unfinished"'
    return (f"    <message>\n        <source>{escape(source)}</source>\n"
            f"        <translation{kind}>{escape(translation)}</translation>\n    </message>")


def main(argv: list[str]) -> int:
    if len(argv) >= 1 and argv[0] == "missing":
        language = argv[1] if len(argv) > 1 else "fr"
        found = missing(language)
        for text, path, line in found:
            print(f"{path.relative_to(HERE)}:{line}: {text!r}")
        return 1 if found else 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
