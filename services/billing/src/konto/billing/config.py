from pydantic_settings import SettingsConfigDict

from konto.common.settings import ServiceSettings


class BillingSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="KONTO_BILLING_", extra="ignore", frozen=True)

    http_port: int = 8003
    mongo_db: str = "konto_billing"
