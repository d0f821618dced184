from pydantic import SecretStr
from pydantic_settings import SettingsConfigDict

from konto.common.settings import ServiceSettings


class AuthSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="KONTO_AUTH_", extra="ignore", frozen=True)

    http_port: int = 8001
    mongo_db: str = "konto_auth"
    # 32 bytes, base64; seals signing keys and TOTP seeds at rest (AES-256-GCM).
    encryption_key: SecretStr = SecretStr("a29udG8tZGV2LW9ubHktZW5jcnlwdGlvbi1rZXkhISE=")
    access_token_ttl_seconds: int = 600
    refresh_token_ttl_days: int = 30
    # OWASP's and Keycloak's Argon2id choice: 7 MiB, 5 passes, 1 lane.
    argon2_memory_kib: int = 7168
    argon2_time_cost: int = 5
    argon2_parallelism: int = 1

    def secrets_to_check(self) -> dict[str, SecretStr]:
        return {"encryption_key": self.encryption_key}
