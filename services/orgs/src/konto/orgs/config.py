from pydantic_settings import SettingsConfigDict

from konto.common.s3 import S3Settings
from konto.common.settings import ServiceSettings


class OrgsSettings(ServiceSettings, S3Settings):
    model_config = SettingsConfigDict(env_prefix="KONTO_ORGS_", extra="ignore", frozen=True)

    http_port: int = 8002
    mongo_db: str = "konto_orgs"
    # How long an invitation link works (ORG-4); a resend starts the clock again.
    invitation_ttl_hours: float = 168.0
    # Where invitation links lead (the customer console's /invitations/<token> page).
    console_url: str = "http://localhost:3000"
    # Logos (ORG-8) live here; clients fetch them through presigned URLs valid this long.
    s3_bucket: str = "konto-orgs"
    logo_url_seconds: int = 300
