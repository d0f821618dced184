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
    # How long a process signs with the key it loaded; a rotation reaches it within this time.
    signing_key_cache_seconds: float = 30.0
    # OWASP's and Keycloak's Argon2id choice: 7 MiB, 5 passes, 1 lane.
    argon2_memory_kib: int = 7168
    argon2_time_cost: int = 5
    argon2_parallelism: int = 1
    # A rotated refresh token presented again this soon is a client's concurrent retry: it is
    # refused but does not revoke the family; later it counts as theft (AUTH-3).
    refresh_reuse_leeway_seconds: float = 2.0
    # AUTH-5: failed logins in a sliding window, per identifier and per client address.
    login_window_seconds: int = 300
    login_max_failures_per_identifier: int = 5
    login_max_failures_per_address: int = 30
    # Consecutive failures that lock an account until an admin or a verification unlocks it.
    lockout_threshold: int = 10
    # AUTH-9: a password login of a 2FA user waits this long for the second factor.
    mfa_challenge_ttl_seconds: int = 300
    mfa_challenge_max_attempts: int = 5
    totp_issuer: str = "Konto"
    backup_code_count: int = 10

    def secrets_to_check(self) -> dict[str, SecretStr]:
        return {"encryption_key": self.encryption_key}
