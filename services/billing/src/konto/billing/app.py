"""The billing process: HTTP API and Kafka wiring; features arrive with their issues."""

from konto.billing.config import BillingSettings
from konto.common.service import Runtime

settings = BillingSettings()
runtime = Runtime("billing", settings)

app = runtime.create_app(
    title="Konto billing",
    description="Products, orders, payments, invoices and the prepaid balance.",
)
