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
    # With several workers, each accepts on its own socket (workers.py): one whose socket keeps
    # connections waiting this long without taking any is hung, and is replaced.
    worker_stuck_seconds: float = 30.0
    # PostgreSQL connections each worker keeps open (a burst opens up to `db.PG_OVERFLOW` more):
    # workers x (this + 10) must fit in the server's max_connections, which `serve` checks.
    db_pool: int = 20
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
    video_provider: str = "jitsi"  # jitsi | bbb | personal: where session video rooms live (R17)
    jitsi_url: str = "https://meet.jit.si"
    jitsi_app_id: str = ""  # with jitsi_secret: each participant's link carries a JWT (self-hosted Jitsi)
    jitsi_secret: str = ""
    bbb_url: str = ""  # BigBlueButton's URL as `bbb-conf --secret` prints it
    bbb_secret: str = ""
    test_clock: bool = False  # lets an operator move the server's clock (tests only)
    # The platform's bank account: customers' transfers arrive on it, payouts leave it (SEPA files).
    platform_name: str = ""  # the account holder, as the bank knows it
    platform_iban: str = ""  # empty: buying credits by transfer is not set up, and no SEPA files
    platform_bic: str = ""
    credit_price_cents: int = 100  # one credit, in the currency's minor unit
    currency: str = "EUR"  # ISO 4217; the Girocode QR and SEPA files need EUR
    # Buying credits (payments/): by bank transfer to that account, or by card with Stripe Checkout.
    payment_provider: str = "bank"  # 'bank' or 'stripe'
    payment_expiry_days: int = 14  # an unpaid request expires after this many days
    stripe_secret_key: str = ""
    stripe_webhook_secret: str = ""
    stripe_api_base: str = ""  # empty: Stripe's own API
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
    if s.payment_provider not in PAYMENT_PROVIDERS:
        refuse("payment_provider", f"give one of {', '.join(PAYMENT_PROVIDERS)}")
    if s.payment_expiry_days < 1:
        refuse("payment_expiry_days", "an unpaid request must be kept at least 1 day")
    if s.credit_price_cents < 1:
        refuse("credit_price_cents", "a credit is worth at least 1 (in cents: 100 is one euro)")
    currency = s.currency.strip().upper()
    if not re.fullmatch(r"[A-Z]{3}", currency):
        refuse("currency", "give a three-letter currency code such as EUR")
    return replace(s, platform_name=s.platform_name.strip(), platform_iban=iban, platform_bic=bic, currency=currency)


PAYMENT_PROVIDERS = ("bank", "stripe")


def _parse(name: str, raw: str, kind: type) -> Any:
    try:
        if kind is bool:
            return raw.strip().lower() in ("1", "true", "yes", "on")
        if kind is Path:
            return Path(raw)
        return kind(raw)
    except ValueError:
        raise SystemExit(f"CONSOLEAPP_{name.upper()}={raw!r} is not a valid {kind.__name__}") from None
