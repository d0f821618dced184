from pydantic import SecretStr
from pydantic_settings import SettingsConfigDict

from konto.common.settings import ServiceSettings


class NotifySettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="KONTO_NOTIFY_", extra="ignore", frozen=True)

    http_port: int = 8005
    mongo_db: str = "konto_notify"
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 1025
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_starttls: bool = False
    smtp_timeout_seconds: float = 10.0
    mail_from: str = "Konto <security@konto.local>"
    # Where the links in messages lead (the customer console).
    console_url: str = "http://localhost:3000"
