"""The forms of an HTML page, read the way a browser without JavaScript fills them in.

The load bench and the simulation drive the booking site through its own pages: they load a
page, find a form by its action, and send back its hidden fields (the CSRF token, the form's
idempotency key) with the choices a visitor makes. Standard library only, so both can use it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Form:
    action: str
    values: dict[str, str] = field(default_factory=dict)  # hidden and typed fields, as the page filled them
    options: dict[str, list[str]] = field(default_factory=dict)  # <select> and radio choices by name

    def filled(self, **chosen: str) -> dict[str, str]:
        """What the browser sends: the page's values, then the visitor's."""
        return {**self.values, **chosen}


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select = ""
        self._textarea = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._form = Form(a.get("action", ""))
            self.forms.append(self._form)
        form = self._form
        if form is None:
            return
        name = a.get("name", "")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("radio", "checkbox"):
                form.options.setdefault(name, []).append(a.get("value", "on"))
                if "checked" in a:
                    form.values[name] = a.get("value", "on")
            elif kind not in ("submit", "button", "file"):
                form.values[name] = a.get("value", "")
        elif tag == "select" and name:
            self._select = name
            form.options.setdefault(name, [])
        elif tag == "option" and self._select:
            form.options[self._select].append(a.get("value", ""))
            if "selected" in a or self._select not in form.values:
                form.values[self._select] = a.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            form.values[name] = ""

    def handle_data(self, data: str) -> None:
        if self._form is not None and self._textarea:
            self._form.values[self._textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = ""
        elif tag == "textarea":
            self._textarea = ""


def forms(page: str) -> list[Form]:
    reader = _Reader()
    reader.feed(page)
    return reader.forms


def form(page: str, action: str) -> Form | None:
    """The first form posting to `action` (a path, or a regular expression of one)."""
    return next((f for f in forms(page) if f.action == action or re.fullmatch(action, f.action)), None)


def links(page: str, pattern: str) -> list[str]:
    """The addresses of the links matching `pattern` (a regular expression), entities decoded."""
    return [h.replace("&amp;", "&") for h in re.findall(r'href="([^"]+)"', page) if re.fullmatch(pattern, h.replace("&amp;", "&"))]
