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
    # AUTH-9 SMS codes (login and enrolment): lifetime, guesses per code, codes per login (or
    # per person in the send window, for codes asked from the settings page).
    sms_code_ttl_seconds: int = 300
    sms_code_max_attempts: int = 5
    sms_code_max_sends: int = 3
    sms_code_send_window_seconds: int = 3600
    # AUTH-9 devices: how long an enrolment QR code works, how old a device's signed request
    # may be (either way: phone clocks drift), how long a device has to approve a login.
    device_enrolment_ttl_seconds: int = 600
    device_signature_max_age_seconds: float = 60.0
    push_approval_ttl_seconds: int = 120
    # ORG-1: how long switch-org waits for orgs' event of a just created or joined organization
    # to reach the membership projection before it answers 404.
    switch_org_wait_seconds: float = 5.0

    # Where the links auth sends (password reset, recovery e-mail) lead.
    console_url: str = "http://localhost:3000"
    # 32 bytes, base64, shared with notify: seals codes in commands to it (SendSmsCodeV1).
    command_key: SecretStr = SecretStr("a29udG8tZGV2LW9ubHktZW5jcnlwdGlvbi1rZXkhISE=")
    # AUTH-6: how long reset links and SMS codes work, and guesses per code.
    password_reset_link_ttl_seconds: int = 3600
    password_reset_code_ttl_seconds: int = 600
    password_reset_code_max_attempts: int = 5
    # AUTH-7: how long the link confirming a new recovery e-mail works.
    recovery_email_link_ttl_seconds: int = 86_400
    # Requests per identifier to each recovery endpoint (reset, unlock) in a sliding window.
    recovery_max_requests: int = 3
    recovery_window_seconds: int = 3600
    # AUTH-10: how long the change token of a login forced to set a new identifier works.
    login_id_change_ttl_seconds: int = 900

    def secrets_to_check(self) -> dict[str, SecretStr]:
        return {"encryption_key": self.encryption_key, "command_key": self.command_key}
