from pydantic import SecretStr
from pydantic_settings import SettingsConfigDict

from konto.common.s3 import S3Settings
from konto.common.settings import ServiceSettings


class VerificationSettings(ServiceSettings, S3Settings):
    model_config = SettingsConfigDict(env_prefix="KONTO_VERIFICATION_", extra="ignore", frozen=True)

    http_port: int = 8004
    mongo_db: str = "konto_verification"
    s3_bucket: str = "konto-verification"
    # Asked of S3 on every upload (the presigned POST requires the header). AWS S3 honours it;
    # versitygw 1.7.0 (the local server) accepts and ignores it. Empty: do not ask.
    s3_server_side_encryption: str = "AES256"
    # Where a case link leads: `<console_url>/verify/<token>` (the customer console).
    console_url: str = "http://localhost:3000"
    case_link_ttl_hours: float = 48.0
    # 32 bytes, base64, shared with notify: seals SMS codes inside events (DESIGN: Events).
    command_key: SecretStr = SecretStr("a29udG8tZGV2LW9ubHktZW5jcnlwdGlvbi1rZXkhISE=")
    sms_code_ttl_seconds: int = 600
    sms_code_max_attempts: int = 5
    sms_code_max_sends: int = 5
    upload_max_bytes: int = 10 * 1024 * 1024
    upload_url_ttl_seconds: int = 600
    image_min_side: int = 320
    # Dimensions are read from this many first bytes (a Range request), never the whole file.
    image_probe_bytes: int = 65536
    review_url_ttl_seconds: int = 120
    review_target_hours: float = 2.0
    purge_after_submission_hours: float = 72.0
    purge_interval_seconds: float = 300.0

    def secrets_to_check(self) -> dict[str, SecretStr]:
        return {"command_key": self.command_key}
