"""Money in: customers buy credits by bank transfer (the default) or with Stripe Checkout.

`records` keeps the requests and credits them once (the engine's CreditPayment); `bank` makes
the transfer details and the EPC QR code; `stripe_checkout` makes Checkout Sessions and verifies
webhooks; `api` is the HTTP side. The booking site's wallet page and the console's Payments page
(`web/wallet.py`, `web/ops/payments.py`) and `consoleapp-server admin payment-received` use the same.
"""

from .api import router, webhooks

__all__ = ["router", "webhooks"]
