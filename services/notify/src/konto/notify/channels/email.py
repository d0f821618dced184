"""E-mail over SMTP (aiosmtplib)."""

from email.message import EmailMessage
from email.utils import formatdate, make_msgid

import aiosmtplib

from konto.notify.config import NotifySettings
from konto.notify.rendering import Rendered


class SmtpMailer:
    def __init__(self, settings: NotifySettings) -> None:
        self.settings = settings

    async def send(
        self, *, to: str, rendered: Rendered, delivery_id: str, headers: dict[str, str]
    ) -> str:
        message = EmailMessage()
        message["From"] = self.settings.mail_from
        message["To"] = to
        message["Subject"] = rendered.subject
        message["Date"] = formatdate(localtime=False)
        message_id = make_msgid(idstring=delivery_id.replace(":", "."), domain="konto.local")
        message["Message-ID"] = message_id
        for name, value in headers.items():
            message[name] = value
        message.set_content(rendered.text)
        message.add_alternative(rendered.html, subtype="html")
        password = self.settings.smtp_password
        await aiosmtplib.send(
            message,
            hostname=self.settings.smtp_host,
            port=self.settings.smtp_port,
            username=self.settings.smtp_username,
            password=password.get_secret_value() if password else None,
            start_tls=self.settings.smtp_starttls,
            timeout=self.settings.smtp_timeout_seconds,
        )
        return message_id
