"""Settings from the command line or `CONSOLEAPP_*` environment variables."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from consoleapp.engine import DEFAULT_POLICY, Policy


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
    video_provider: str = "jitsi"  # jitsi | bbb | personal: where session video rooms live (R17)
    jitsi_url: str = "https://meet.jit.si"
    jitsi_app_id: str = ""  # with jitsi_secret: each participant's link carries a JWT (self-hosted Jitsi)
    jitsi_secret: str = ""
    bbb_url: str = ""  # BigBlueButton's URL as `bbb-conf --secret` prints it
    bbb_secret: str = ""
    test_clock: bool = False  # lets an operator move the server's clock (tests only)
    # Buying credits (payments/): by bank transfer to the platform's account, or by card with Stripe Checkout.
    payment_provider: str = "bank"  # 'bank' or 'stripe'
    platform_name: str = ""  # the holder of the platform's bank account
    platform_iban: str = ""  # empty: buying credits is not set up on this server
    platform_bic: str = ""
    payment_expiry_days: int = 14  # an unpaid request expires after this many days
    credit_price_cents: int = 100  # one credit, in the currency's minor unit
    currency: str = "EUR"
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
        found = replace(cls(), **values)
        if found.payment_provider not in PAYMENT_PROVIDERS:
            raise SystemExit(f"CONSOLEAPP_PAYMENT_PROVIDER={found.payment_provider!r} is not one of "
                             f"{', '.join(PAYMENT_PROVIDERS)}")
        if len(found.currency) != 3 or not found.currency.isalpha():
            raise SystemExit(f"CONSOLEAPP_CURRENCY={found.currency!r} is not a currency code like EUR")
        if found.credit_price_cents < 1 or found.payment_expiry_days < 1:
            raise SystemExit("CONSOLEAPP_CREDIT_PRICE_CENTS and CONSOLEAPP_PAYMENT_EXPIRY_DAYS must be above 0")
        return found


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
