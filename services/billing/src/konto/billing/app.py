"""The billing process: HTTP API, the consumer of orgs' membership events, and the outbox
publisher of `konto.billing.events`."""

import asyncio

from fastapi import Request
from fastapi.responses import JSONResponse

from konto.billing.api import addresses as addresses_api
from konto.billing.api import balance as balance_api
from konto.billing.api import bank_transfer as bank_transfer_api
from konto.billing.api import cancellation as cancellation_api
from konto.billing.api import catalog as catalog_api
from konto.billing.api import orders as orders_api
from konto.billing.api import payments as payments_api
from konto.billing.api import support as support_api
from konto.billing.config import BillingSettings, bank_accounts, fraud_rules
from konto.billing.events import subscribers
from konto.billing.service.access import BillingAccess
from konto.billing.service.addresses import AddressesService
from konto.billing.service.balance import BalanceService
from konto.billing.service.bank_statements import BankStatementsService
from konto.billing.service.cancellation import CancellationService
from konto.billing.service.card import CardProcessor, CardUnavailable
from konto.billing.service.card_provider import card_processor
from konto.billing.service.common import Stores
from konto.billing.service.fraud_hold import FraudHold
from konto.billing.service.invoices import InvoicesService
from konto.billing.service.memberships import MembershipProjection
from konto.billing.service.orders import OrdersService
from konto.billing.service.payments import PaymentsService
from konto.billing.service.products import ProductsService
from konto.billing.service.proforma_closing import ProformaClosing
from konto.billing.service.proformas import ProformasService
from konto.billing.service.retirement import Retirement
from konto.billing.service.support import SupportService
from konto.billing.service.users import UserProjection
from konto.billing.store.bank_statements import BankStatements
from konto.common.errors import problem_response
from konto.common.s3 import ObjectStore
from konto.common.service import Runtime

settings = BillingSettings()
runtime = Runtime("billing", settings)
db = runtime.mongo.db
object_store = ObjectStore(settings)

stores = Stores.over(db, object_store)
# Bank transfer (BIL-4): pro-formas and the imported statements.
proformas = stores.proformas
bank_statements = BankStatements(db)
for hook in (
    stores.memberships.ensure_indexes,
    stores.products.ensure_indexes,
    stores.addresses.ensure_indexes,
    stores.ledger.ensure_indexes,
    stores.invoices.ensure_indexes,
    stores.orders.ensure_indexes,
    stores.free_grants.ensure_indexes,
    proformas.ensure_indexes,
    bank_statements.ensure_indexes,
    object_store.ensure_bucket,
):
    runtime.on_startup(hook)

card: CardProcessor = card_processor(settings)

hold = FraudHold(stores, runtime.outbox, card, fraud_rules(settings))
subscribers.subscribe(
    runtime, MembershipProjection(stores.memberships), UserProjection(stores.users), hold
)
subscribers.declare(runtime)

app = runtime.create_app(
    title="Konto billing",
    description="Products, orders, payments, invoices and the prepaid balance.",
    routers=[
        catalog_api.router,
        addresses_api.router,
        balance_api.router,
        payments_api.router,
        orders_api.router,
        support_api.router,
        bank_transfer_api.router,
        cancellation_api.router,
    ],
)
app.state.access = BillingAccess(stores.memberships)
app.state.products = ProductsService(
    stores, runtime.outbox, direct_creation=settings.environment != "prod"
)
app.state.addresses = AddressesService(stores, runtime.outbox)
app.state.balance = BalanceService(stores, runtime.outbox, card)
app.state.proformas = ProformasService(
    stores, proformas, bank_accounts(settings), settings.invoice_url_seconds
)
app.state.payments = PaymentsService(stores, runtime.outbox, card, app.state.proformas)
app.state.orders = OrdersService(stores, runtime.outbox, card, app.state.payments, hold)
app.state.hold = hold
# Only behind a proxy that sets the header on every request may it be believed (BIL-6).
app.state.client_country_header = (
    settings.client_country_header if settings.client_country_trusted else None
)
app.state.support = SupportService(stores)
app.state.bank_statements = BankStatementsService(
    stores, runtime.outbox, bank_statements, proformas, app.state.support
)
app.state.cancellation = CancellationService(
    stores,
    runtime.outbox,
    console_url=settings.console_url,
    link_ttl_seconds=settings.cancellation_link_ttl_seconds,
)
app.state.invoices = InvoicesService(stores, settings.invoice_url_seconds)

_background: set[asyncio.Task[None]] = set()


async def _start_expiry() -> None:
    """BIL-6: cancels orders held past the unlock period; several workers may run it."""
    task = asyncio.create_task(
        hold.run_forever(settings.fraud_expiry_interval_seconds), name="blocked-order-expiry"
    )
    _background.add(task)
    task.add_done_callback(_background.discard)


runtime.on_startup(_start_expiry)

retirement = Retirement(stores, runtime.outbox)


async def _start_retirement() -> None:
    """BIL-7: retires cancelled products at their end date; several workers may run it."""
    task = asyncio.create_task(
        retirement.run_forever(settings.retirement_interval_seconds), name="product-retirement"
    )
    _background.add(task)
    task.add_done_callback(_background.discard)


runtime.on_startup(_start_retirement)

proforma_closing = ProformaClosing(stores, runtime.outbox, settings.proforma_payment_days)
app.state.proforma_closing = proforma_closing


async def _start_proforma_lapse() -> None:
    """BIL-4: voids pro-formas unpaid past the payment period; several workers may run it."""
    task = asyncio.create_task(
        proforma_closing.run_forever(settings.proforma_lapse_interval_seconds),
        name="proforma-lapse",
    )
    _background.add(task)
    task.add_done_callback(_background.discard)


runtime.on_startup(_start_proforma_lapse)


async def _card_unavailable(request: Request, exc: Exception) -> JSONResponse:
    """Nothing was charged for sure: the client retries with the same Idempotency-Key."""
    return problem_response(
        503,
        "Card processor unavailable",
        str(exc),
        code="card-processor-unavailable",
        instance=request.url.path,
    )


app.add_exception_handler(CardUnavailable, _card_unavailable)
