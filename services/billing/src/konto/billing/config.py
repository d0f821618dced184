from typing import Literal

from pydantic import model_validator
from pydantic_settings import SettingsConfigDict

from konto.billing.domain.fraud import FraudRules
from konto.common.s3 import S3Settings
from konto.common.settings import ServiceSettings


class BillingSettings(ServiceSettings, S3Settings):
    model_config = SettingsConfigDict(env_prefix="KONTO_BILLING_", extra="ignore", frozen=True)

    http_port: int = 8003
    mongo_db: str = "konto_billing"
    # Invoice PDFs (BIL-5) live here; clients download them through presigned URLs.
    s3_bucket: str = "konto-billing"
    invoice_url_seconds: int = 300
    # Which adapter charges cards (BIL-4). `test` is the local double of the external
    # processor: token `tok_visa` is charged, `tok_declined` is declined. Refused in prod.
    card_processor: Literal["test"] = "test"
    # Where the links billing mails (cancellation confirmation, BIL-7) lead, and how long
    # such a link works.
    console_url: str = "http://localhost:3000"
    cancellation_link_ttl_seconds: int = 7 * 86_400
    # The fraud hold's rules (BIL-6, see domain/fraud.py): an organization's first order above
    # this total (minor units, any currency) is held, and so is an order when the organization
    # checked out this many in the hour before. Held orders are cancelled and refunded after
    # `fraud_unlock_days`; the job looking for them runs every `fraud_expiry_interval_seconds`.
    fraud_new_org_max_total_minor: int = 50_000
    fraud_max_orders_per_hour: int = 5
    fraud_unlock_days: int = 10
    fraud_expiry_interval_seconds: float = 3600.0

    @model_validator(mode="after")
    def _no_card_double_in_prod(self) -> "BillingSettings":
        if self.environment == "prod" and self.card_processor == "test":
            raise ValueError("card_processor=test is a local double; configure a real one")
        return self


def fraud_rules(settings: BillingSettings) -> FraudRules:
    return FraudRules(
        new_org_max_total_minor=settings.fraud_new_org_max_total_minor,
        max_orders_per_hour=settings.fraud_max_orders_per_hour,
        unlock_days=settings.fraud_unlock_days,
    )
