"""Every visible string is translatable: no bare text literal reaches a widget."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import consoleapp.ui

UI = Path(consoleapp.ui.__file__).parent
# Widget constructors and setters whose first argument is shown to the person.
SHOWN = {"QLabel", "QPushButton", "QCheckBox", "QRadioButton", "QAction", "QGroupBox", "QToolButton",
         "setText", "setToolTip", "setWindowTitle", "setPlaceholderText", "setTitle", "addTab", "addItem",
         "setLabelText", "showMessage", "addMenu", "setStatusTip", "EmptyState", "Chip", "heading"}
WORDS = re.compile(r"[A-Za-z]{3,}")
EXAMPLE = re.compile(r"^(https?://|[^\s@]+@[^\s@]+$)")  # sample addresses are not words to translate


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def bare_strings() -> list[str]:
    found = []
    for path in sorted(UI.rglob("*.py")):
        if path.name in ("screenshots.py",):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or _name(node.func) not in SHOWN:
                continue
            args = list(node.args)
            if _name(node.func) == "addTab" and len(args) > 1:
                args = args[1:]
            for arg in args[:1]:
                if (isinstance(arg, ast.Constant) and isinstance(arg.value, str) and WORDS.search(arg.value)
                        and not EXAMPLE.match(arg.value)):
                    found.append(f"{path.relative_to(UI)}:{node.lineno}: {arg.value!r}")
                if isinstance(arg, ast.JoinedStr) and any(
                        isinstance(v, ast.Constant) and WORDS.search(str(v.value)) for v in arg.values):
                    found.append(f"{path.relative_to(UI)}:{node.lineno}: f-string {ast.unparse(arg)[:60]}")
    return found


def test_no_visible_text_bypasses_tr() -> None:
    found = bare_strings()
    assert not found, "visible text not passed through tr():\n" + "\n".join(found)


def _literal_tr_calls() -> set[str]:
    found = set()
    for path in sorted(UI.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and _name(node.func) == "tr" and node.args
                    and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                found.add(node.args[0].value)
    return found


def test_lupdate_extracts_every_tr_call(tmp_path: Path) -> None:
    # lupdate does not look inside f-string expressions (or other places Python allows a call):
    # a tr() it cannot see would stay in English whatever the catalog says.
    import xml.etree.ElementTree as ET

    from consoleapp.ui import i18n

    ts = i18n.extract("fr", tmp_path / "fr.ts")
    extracted = {m.findtext("source") for m in ET.parse(ts).getroot().iter("message")}
    unseen = sorted(_literal_tr_calls() - extracted)
    assert not unseen, "tr() calls lupdate cannot see (move them out of the f-string):\n" + "\n".join(map(repr, unseen))
