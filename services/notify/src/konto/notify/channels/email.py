"""E-mail over SMTP (aiosmtplib)."""

from email.message import EmailMessage
from email.utils import formatdate, make_msgid

import aiosmtplib

from konto.common.tracing import SpanKind, traced
from konto.notify.channels.base import PermanentFailure
from konto.notify.config import NotifySettings
from konto.notify.rendering import Rendered


def build_message(
    settings: NotifySettings,
    *,
    to: str,
    rendered: Rendered,
    delivery_id: str,
    headers: dict[str, str],
) -> EmailMessage:
    """The MIME message, shared by the SMTP and SES providers. Its Message-ID derives from the
    delivery id, so a mail sent twice after a crash is recognisable as one."""
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = to
    message["Subject"] = rendered.subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(idstring=delivery_id.replace(":", "."), domain="konto.local")
    for name, value in headers.items():
        message[name] = value
    message.set_content(rendered.text)
    message.add_alternative(rendered.html, subtype="html")
    return message


class SmtpMailer:
    def __init__(self, settings: NotifySettings) -> None:
        self.settings = settings

    async def send(
        self, *, to: str, rendered: Rendered, delivery_id: str, headers: dict[str, str]
    ) -> str:
        message = build_message(
            self.settings, to=to, rendered=rendered, delivery_id=delivery_id, headers=headers
        )
        password = self.settings.smtp_password
        try:
            with traced(
                "smtp send",
                kind=SpanKind.CLIENT,
                attributes={
                    "server.address": self.settings.smtp_host,
                    "konto.delivery": delivery_id,
                },
            ):
                await aiosmtplib.send(
                    message,
                    hostname=self.settings.smtp_host,
                    port=self.settings.smtp_port,
                    username=self.settings.smtp_username,
                    password=password.get_secret_value() if password else None,
                    start_tls=self.settings.smtp_starttls,
                    timeout=self.settings.smtp_timeout_seconds,
                )
        except aiosmtplib.SMTPRecipientsRefused as exc:
            raise PermanentFailure(f"recipient refused: {exc}") from exc
        except aiosmtplib.SMTPResponseException as exc:
            if 500 <= exc.code < 600:  # 5xx is a permanent reply in SMTP; 4xx is worth a retry
                raise PermanentFailure(f"SMTP {exc.code}: {exc.message}") from exc
            raise
        return str(message["Message-ID"])
