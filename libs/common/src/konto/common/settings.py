"""Settings base: every service reads its environment through a subclass with its own prefix."""

from typing import Literal

from pydantic import SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

Environment = Literal["dev", "test", "prod"]

# Values checked into the repo for local runs; a production deployment must replace them.
DEV_ONLY_SECRETS = frozenset(
    {"", "changeme", "dev-only-change-me", "a29udG8tZGV2LW9ubHktZW5jcnlwdGlvbi1rZXkhISE="}
)


class ServiceSettings(BaseSettings):
    """Fields every service has. Subclasses set `env_prefix` (e.g. ``KONTO_AUTH_``)."""

    model_config = SettingsConfigDict(extra="ignore", frozen=True)

    environment: Environment = "dev"
    log_level: str = "INFO"
    http_host: str = "0.0.0.0"
    http_port: int = 8000
    mongo_url: str = "mongodb://127.0.0.1:27017/"
    mongo_db: str = "konto"
    kafka_bootstrap: str = "127.0.0.1:9092"
    # Kafka consumer group; defaults to the service name. Tests set their own to stay isolated.
    kafka_group_prefix: str = ""
    # Where a consumer group without committed offsets starts. `latest` suits throw-away test
    # groups on a long-lived broker; a service then reports ready only once it has partitions.
    kafka_offset_reset: Literal["earliest", "latest"] = "earliest"
    jwks_url: str = "http://127.0.0.1:8001/.well-known/jwks.json"
    jwt_issuer: str = "http://127.0.0.1:8001"
    jwks_cache_seconds: float = 300.0
    outbox_relay_interval_seconds: float = 2.0
    # Rows younger than this belong to the request that wrote them (fast path); the relay waits.
    outbox_relay_grace_seconds: float = 5.0
    consumer_max_attempts: int = 5
    consumer_retry_base_seconds: float = 0.2

    def secrets_to_check(self) -> dict[str, SecretStr]:
        """Secret fields that must not keep a dev-only value outside dev and test."""
        return {}

    @model_validator(mode="after")
    def _refuse_dev_secrets_in_prod(self) -> "ServiceSettings":
        if self.environment == "prod":
            weak = [
                name
                for name, value in self.secrets_to_check().items()
                if value.get_secret_value() in DEV_ONLY_SECRETS
            ]
            if weak:
                raise ValueError(f"set real secrets for: {', '.join(sorted(weak))}")
        return self
