"""The operators' console: the platform's back office as web pages (operators only; see access.py)."""

from __future__ import annotations

from fastapi import APIRouter

from . import cases, money, payments, people, promos

ROUTERS: tuple[APIRouter, ...] = (cases.router, people.router, money.router, payments.router, promos.router)
