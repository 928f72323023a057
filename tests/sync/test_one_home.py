"""One home each: every router is listed by name in one place, and helpers that used to be copied
(`new_id`, the JSON writer, the table of a person's own records) are defined once."""

from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path

from fastapi import APIRouter

import consoleapp
from consoleapp.sync import server
from consoleapp.sync.server import app, web

ROOT = Path(consoleapp.__file__).parent


def test_every_router_of_the_server_is_in_the_one_list() -> None:
    listed = {id(r) for r in (*app.DESKTOP_ROUTERS, *app.ROUTERS, *web.ROUTERS)}
    found: dict[str, APIRouter] = {}
    for info in pkgutil.walk_packages(server.__path__, server.__name__ + "."):
        module = importlib.import_module(info.name)
        found |= {f"{info.name}.{name}": value for name, value in vars(module).items() if isinstance(value, APIRouter)}
    assert len(found) > 20
    missing = [where for where, router in found.items() if router.routes and id(router) not in listed]
    assert missing == [], "add these routers to app.ROUTERS (or web.ROUTERS for pages)"
    source = "\n".join(p.read_text() for p in (ROOT / "sync" / "server").rglob("*.py"))
    assert "__import__" not in source and "import_module" not in source  # listed by name, never looked up


def test_copied_helpers_are_defined_once() -> None:
    source = {p: p.read_text() for p in ROOT.rglob("*.py")}
    for definition, count in ((r"^def new_id\(", 1), (r"^def _json_writer\(", 1), (r"^_?PERSONAL\b", 1)):
        homes = [p.relative_to(ROOT) for p, text in source.items() if re.search(definition, text, re.M)]
        assert len(homes) == count, (definition, homes)
