from typing import Literal

from pydantic import model_validator
from pydantic_settings import SettingsConfigDict

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

    @model_validator(mode="after")
    def _no_card_double_in_prod(self) -> "BillingSettings":
        if self.environment == "prod" and self.card_processor == "test":
            raise ValueError("card_processor=test is a local double; configure a real one")
        return self
