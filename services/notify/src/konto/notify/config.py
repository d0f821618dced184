from typing import Literal

from pydantic import SecretStr
from pydantic_settings import SettingsConfigDict

from konto.common.settings import ServiceSettings


class NotifySettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="KONTO_NOTIFY_", extra="ignore", frozen=True)

    http_port: int = 8005
    mongo_db: str = "konto_notify"
    # Which provider carries each channel (NOT-3).
    email_provider: Literal["smtp", "ses"] = "smtp"
    sms_provider: Literal["http", "sns"] = "http"
    # `local` keeps pushes in memory (a dev machine without a gateway).
    push_provider: Literal["http", "local"] = "http"
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 1025
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_starttls: bool = False
    smtp_timeout_seconds: float = 10.0
    mail_from: str = "Konto <security@konto.local>"
    # HTTP SMS gateway: POST <url>/v1/messages {to, text, sender} with a bearer token.
    sms_gateway_url: str = "http://127.0.0.1:8026"
    sms_gateway_token: SecretStr | None = None
    sms_gateway_timeout_seconds: float = 10.0
    sms_sender: str = "Konto"
    # Push gateway (forwards to APNs / FCM): POST <url>/v1/push {token, title, body, data}.
    # The local SMS sink (scripts/sms_sink.py) records pushes too.
    push_gateway_url: str = "http://127.0.0.1:8026"
    push_gateway_token: SecretStr | None = None
    push_gateway_timeout_seconds: float = 10.0
    # Amazon SES / SNS; credentials come from the usual AWS chain (role, env, profile).
    aws_region: str = "eu-central-1"
    ses_configuration_set: str | None = None
    # 32 bytes, base64, shared with the services that send commands: opens the sealed codes in
    # `konto.notify.commands` (AES-256-GCM). Never stored or logged opened.
    command_key: SecretStr = SecretStr("a29udG8tZGV2LW9ubHktZW5jcnlwdGlvbi1rZXkhISE=")
    # Where the links in messages lead (the customer console).
    console_url: str = "http://localhost:3000"
    # Delivery retries (NOT-4): a failed send is tried again after base * 2^(n-1) seconds
    # (capped, with jitter) until max attempts, then it goes to konto.notify.deliveries.dlq.
    delivery_max_attempts: int = 8
    delivery_retry_base_seconds: float = 30.0
    delivery_retry_max_seconds: float = 3600.0
    # How often the retry loop looks for due deliveries, and how long a send may take before
    # another replica (or this one after a crash) may take the delivery over.
    delivery_poll_seconds: float = 1.0
    delivery_lease_seconds: float = 120.0
    # A regular expression: when set, messages go only to matching addresses (e-mail or phone);
    # for staging and test sandboxes that share a Kafka cluster with other runs.
    only_recipients: str | None = None
    # Events older than this cause no message: a new deployment reading the topic from the start
    # must not mail everyone about last month's logins.
    message_max_age_seconds: float = 3 * 24 * 3600.0

    def secrets_to_check(self) -> dict[str, SecretStr]:
        return {"command_key": self.command_key}
