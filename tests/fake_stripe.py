"""A local stand-in for Stripe: its Checkout Session API on 127.0.0.1, and webhooks signed as Stripe signs them.

The server's `stripe` library is pointed at `serve()`'s address (`stripe_api_base`); nothing of
ours is replaced. Used by the payment tests (tests/sync/test_payments.py) and the simulation.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import threading
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl

WEBHOOK_SECRET = "whsec_test_" + "k" * 24
SECRET_KEY = "sk_test_fake"
REFUSED_QUANTITY = "13"  # an unlucky number: Stripe refuses a session for that many credits


class FakeStripe(BaseHTTPRequestHandler):
    """Stripe's `POST /v1/checkout/sessions`, answering a session and keeping the form it got."""

    sessions: list[dict[str, str]] = []

    def do_POST(self) -> None:  # noqa: N802 (http.server's name)
        form = dict(parse_qsl(self.rfile.read(int(self.headers["Content-Length"])).decode()))
        if self.path != "/v1/checkout/sessions" or not self.headers.get("Authorization", "").startswith("Bearer sk_test"):
            self._answer(404, {"error": {"type": "invalid_request_error", "message": "Unrecognized request URL"}})
            return
        if form.get("line_items[0][quantity]") == REFUSED_QUANTITY:
            self._answer(400, {"error": {"type": "invalid_request_error", "message": "Something went wrong"}})
            return
        self.sessions.append(form)
        sid = f"cs_test_{len(self.sessions)}"
        total = int(form["line_items[0][quantity]"]) * int(form["line_items[0][price_data][unit_amount]"])
        self._answer(200, {"id": sid, "object": "checkout.session", "mode": "payment", "status": "open",
                           "url": f"https://checkout.stripe.test/c/pay/{sid}", "amount_total": total,
                           "currency": form["line_items[0][price_data][currency]"],
                           "client_reference_id": form["client_reference_id"], "payment_status": "unpaid"})

    def _answer(self, status: int, body: dict[str, Any]) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: Any) -> None:
        pass


@contextlib.contextmanager
def serve(handler: type[FakeStripe] | None = None) -> Iterator[tuple[str, list[dict[str, str]]]]:
    """The fake on a free port, in a thread: (its address, the session forms it got).

    Without `handler`, a fresh one with its own list, so two servers never share session ids."""
    chosen: type[FakeStripe] = handler or type("OwnFakeStripe", (FakeStripe,), {"sessions": []})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), chosen)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", chosen.sessions
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


def signed(payload: str, at: int, secret: str = WEBHOOK_SECRET) -> str:
    """The `Stripe-Signature` header, as Stripe makes it: HMAC-SHA256 of '<t>.<body>'."""
    mac = hmac.new(secret.encode(), f"{at}.{payload}".encode(), hashlib.sha256).hexdigest()
    return f"t={at},v1={mac}"


def completed(payment: dict[str, Any], session: str, amount: int | None = None, event_id: str = "") -> str:
    """A `checkout.session.completed` event's body for `payment` (its "id" and "amount", in cents)."""
    return json.dumps({
        "id": event_id or f"evt_{uuid.uuid4().hex[:16]}", "object": "event", "type": "checkout.session.completed",
        "data": {"object": {"id": session, "object": "checkout.session", "client_reference_id": payment["id"],
                            "amount_total": payment["amount"] if amount is None else amount,
                            "currency": "eur", "payment_status": "paid"}},
    })
