"""Channel providers, chosen in settings (NOT-3)."""

from konto.notify.channels.base import EmailProvider, PushProvider, SmsProvider
from konto.notify.config import NotifySettings


def email_provider(settings: NotifySettings) -> EmailProvider:
    if settings.email_provider == "ses":
        from konto.notify.channels.ses import SesMailer

        return SesMailer(settings)
    from konto.notify.channels.email import SmtpMailer

    return SmtpMailer(settings)


def sms_provider(settings: NotifySettings) -> SmsProvider:
    if settings.sms_provider == "sns":
        from konto.notify.channels.sns import SnsSms

        return SnsSms(settings)
    from konto.notify.channels.sms_http import HttpSmsGateway

    return HttpSmsGateway(settings)


def push_provider(settings: NotifySettings) -> PushProvider:
    if settings.push_provider == "local":
        from konto.notify.channels.push import LocalPush

        return LocalPush()
    from konto.notify.channels.push import HttpPushGateway

    return HttpPushGateway(settings)
