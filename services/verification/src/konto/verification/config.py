from pydantic_settings import SettingsConfigDict

from konto.common.settings import ServiceSettings


class VerificationSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="KONTO_VERIFICATION_", extra="ignore", frozen=True)

    http_port: int = 8004
    mongo_db: str = "konto_verification"
