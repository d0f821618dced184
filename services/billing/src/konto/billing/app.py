"""The billing process: HTTP API, the consumer of orgs' membership events, and the outbox
publisher of `konto.billing.events`."""

import asyncio

from konto.billing.api import addresses as addresses_api
from konto.billing.api import balance as balance_api
from konto.billing.api import cancellation as cancellation_api
from konto.billing.api import catalog as catalog_api
from konto.billing.api import orders as orders_api
from konto.billing.api import payments as payments_api
from konto.billing.api import support as support_api
from konto.billing.config import BillingSettings, fraud_rules
from konto.billing.events import subscribers
from konto.billing.service.access import BillingAccess
from konto.billing.service.addresses import AddressesService
from konto.billing.service.balance import BalanceService
from konto.billing.service.cancellation import CancellationService
from konto.billing.service.card import CardProcessor, TestCardProcessor
from konto.billing.service.common import Stores
from konto.billing.service.fraud_hold import FraudHold
from konto.billing.service.invoices import InvoicesService
from konto.billing.service.memberships import MembershipProjection
from konto.billing.service.orders import OrdersService
from konto.billing.service.payments import PaymentsService
from konto.billing.service.products import ProductsService
from konto.billing.service.support import SupportService
from konto.billing.service.users import UserProjection
from konto.billing.store.addresses import Addresses
from konto.billing.store.free_grants import FreeGrants
from konto.billing.store.idempotency import IdempotencyRecords
from konto.billing.store.invoice_files import InvoiceFiles
from konto.billing.store.invoice_numbers import InvoiceNumbers
from konto.billing.store.invoices import Invoices
from konto.billing.store.ledger import Ledger
from konto.billing.store.memberships import Memberships
from konto.billing.store.orders import Orders
from konto.billing.store.products import Products
from konto.billing.store.promo_codes import PromoCodes
from konto.billing.store.staff import Staff
from konto.billing.store.users import Users
from konto.common.s3 import ObjectStore
from konto.common.service import Runtime

settings = BillingSettings()
runtime = Runtime("billing", settings)
db = runtime.mongo.db
object_store = ObjectStore(settings)

stores = Stores(
    memberships=Memberships(db),
    products=Products(db),
    addresses=Addresses(db),
    ledger=Ledger(db),
    invoices=Invoices(db),
    numbers=InvoiceNumbers(db),
    idempotency=IdempotencyRecords(db),
    files=InvoiceFiles(object_store),
    orders=Orders(db),
    promo_codes=PromoCodes(db),
    staff=Staff(db),
    free_grants=FreeGrants(db),
    users=Users(db),
)
for hook in (
    stores.memberships.ensure_indexes,
    stores.products.ensure_indexes,
    stores.addresses.ensure_indexes,
    stores.ledger.ensure_indexes,
    stores.invoices.ensure_indexes,
    stores.orders.ensure_indexes,
    stores.free_grants.ensure_indexes,
    object_store.ensure_bucket,
):
    runtime.on_startup(hook)

# Only the local double exists so far; a real processor's adapter joins here (settings refuse
# the double in prod).
card: CardProcessor = TestCardProcessor()

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
        cancellation_api.router,
    ],
)
app.state.access = BillingAccess(stores.memberships)
app.state.products = ProductsService(
    stores, runtime.outbox, direct_creation=settings.environment != "prod"
)
app.state.addresses = AddressesService(stores, runtime.outbox)
app.state.balance = BalanceService(stores, runtime.outbox, card)
app.state.payments = PaymentsService(stores, runtime.outbox, card)
app.state.orders = OrdersService(stores, runtime.outbox, card, app.state.payments, hold)
app.state.hold = hold
app.state.support = SupportService(stores)
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
