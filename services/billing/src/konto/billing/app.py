"""The billing process: HTTP API, the consumer of orgs' membership events, and the outbox
publisher of `konto.billing.events`."""

from konto.billing.api import addresses as addresses_api
from konto.billing.api import balance as balance_api
from konto.billing.api import catalog as catalog_api
from konto.billing.api import payments as payments_api
from konto.billing.config import BillingSettings
from konto.billing.events import subscribers
from konto.billing.service.access import BillingAccess
from konto.billing.service.addresses import AddressesService
from konto.billing.service.balance import BalanceService
from konto.billing.service.card import CardProcessor, TestCardProcessor
from konto.billing.service.common import Stores
from konto.billing.service.invoices import InvoicesService
from konto.billing.service.memberships import MembershipProjection
from konto.billing.service.payments import PaymentsService
from konto.billing.service.products import ProductsService
from konto.billing.store.addresses import Addresses
from konto.billing.store.idempotency import IdempotencyRecords
from konto.billing.store.invoice_files import InvoiceFiles
from konto.billing.store.invoice_numbers import InvoiceNumbers
from konto.billing.store.invoices import Invoices
from konto.billing.store.ledger import Ledger
from konto.billing.store.memberships import Memberships
from konto.billing.store.products import Products
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
)
for hook in (
    stores.memberships.ensure_indexes,
    stores.products.ensure_indexes,
    stores.addresses.ensure_indexes,
    stores.ledger.ensure_indexes,
    stores.invoices.ensure_indexes,
    object_store.ensure_bucket,
):
    runtime.on_startup(hook)

# Only the local double exists so far; a real processor's adapter joins here (settings refuse
# the double in prod).
card: CardProcessor = TestCardProcessor()

subscribers.subscribe(runtime, MembershipProjection(stores.memberships))
subscribers.declare(runtime)

app = runtime.create_app(
    title="Konto billing",
    description="Products, orders, payments, invoices and the prepaid balance.",
    routers=[catalog_api.router, addresses_api.router, balance_api.router, payments_api.router],
)
app.state.access = BillingAccess(stores.memberships)
app.state.products = ProductsService(
    stores, runtime.outbox, direct_creation=settings.environment != "prod"
)
app.state.addresses = AddressesService(stores, runtime.outbox)
app.state.balance = BalanceService(stores, runtime.outbox, card)
app.state.payments = PaymentsService(stores, runtime.outbox, card)
app.state.invoices = InvoicesService(stores, settings.invoice_url_seconds)
