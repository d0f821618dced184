from pydantic_settings import SettingsConfigDict

from konto.common.settings import ServiceSettings


class OrgsSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="KONTO_ORGS_", extra="ignore", frozen=True)

    http_port: int = 8002
    mongo_db: str = "konto_orgs"
