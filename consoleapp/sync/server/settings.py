"""Settings from the command line or `CONSOLEAPP_*` environment variables."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, NoReturn

from consoleapp.engine import DEFAULT_POLICY, DomainError, Policy, banking


@dataclass(frozen=True)
class Settings:
    host: str = "127.0.0.1"
    port: int = 8765
    data_dir: Path = Path("consoleapp-data")
    database_url: str = ""  # empty: embedded SQLite in data_dir
    workers: int = 1
    public_url: str = ""  # how people reach this server; links in emails use it
    token_hours: int = 24 * 30
    reset_token_minutes: int = 60
    operator_idle_minutes: int = 30  # an operator's browser session ends after this long without a request
    login_attempts: int = 5  # per email and per address, in login_window_seconds
    login_window_seconds: int = 300
    max_body_bytes: int = 1024 * 1024
    max_attachment_bytes: int = 25 * 1024 * 1024
    scheduler_seconds: float = 2.0
    smtp_host: str = ""
    smtp_port: int = 25
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_from: str = "Expert Console <no-reply@localhost>"
    smtp_tls: bool = False
    video_base_url: str = "https://meet.example.org/room"
    test_clock: bool = False  # lets an operator move the server's clock (tests only)
    # The platform's own bank account: payouts leave it (SEPA credit-transfer files).
    platform_name: str = ""
    platform_iban: str = ""
    platform_bic: str = ""
    credit_price_cents: int = 100  # what one credit is worth, in the currency's minor units
    currency: str = "EUR"  # ISO 4217; SEPA files need EUR
    policy: Policy = field(default=DEFAULT_POLICY)

    @property
    def url(self) -> str:
        return self.database_url or f"sqlite:///{(self.data_dir / 'consoleapp.db').resolve()}"

    @property
    def base_url(self) -> str:
        return self.public_url or f"http://{self.host}:{self.port}"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """`CONSOLEAPP_<NAME>` for every field; `CONSOLEAPP_POLICY` is a JSON object of policy settings."""
        env = os.environ if env is None else env
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = env.get(f"CONSOLEAPP_{f.name.upper()}")
            if raw is None:
                continue
            if f.name == "policy":
                values["policy"] = Policy.from_mapping(json.loads(raw))
            else:
                values[f.name] = _parse(f.name, raw, type(getattr(cls(), f.name)))
        values.update({k: v for k, v in overrides.items() if v is not None})
        if isinstance(values.get("data_dir"), str):
            values["data_dir"] = Path(values["data_dir"])
        return _money_checked(replace(cls(), **values))


def _money_checked(s: Settings) -> Settings:
    """The platform's bank details and credit price, refused at start when wrong (a payout
    file to a mistyped account would be refused by the bank days later), IBAN and BIC compact."""
    def refuse(name: str, problem: str) -> NoReturn:
        raise SystemExit(f"CONSOLEAPP_{name.upper()}={getattr(s, name)!r}: {problem}")

    iban = bic = ""
    try:
        iban = banking.iban(s.platform_iban) if s.platform_iban.strip() else ""
    except DomainError as exc:
        refuse("platform_iban", exc.message)
    try:
        bic = banking.bic(s.platform_bic, iban[:2]) if s.platform_bic.strip() else ""
    except DomainError as exc:
        refuse("platform_bic", exc.message)
    if s.credit_price_cents < 1:
        refuse("credit_price_cents", "a credit is worth at least 1 (in cents: 100 is one euro)")
    currency = s.currency.strip().upper()
    if not re.fullmatch(r"[A-Z]{3}", currency):
        refuse("currency", "give a three-letter currency code such as EUR")
    return replace(s, platform_name=s.platform_name.strip(), platform_iban=iban, platform_bic=bic, currency=currency)


def _parse(name: str, raw: str, kind: type) -> Any:
    try:
        if kind is bool:
            return raw.strip().lower() in ("1", "true", "yes", "on")
        if kind is Path:
            return Path(raw)
        return kind(raw)
    except ValueError:
        raise SystemExit(f"CONSOLEAPP_{name.upper()}={raw!r} is not a valid {kind.__name__}") from None
