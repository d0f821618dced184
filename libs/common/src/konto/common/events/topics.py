"""Topic names: one per owning service and kind; `<topic>.dlq` holds what a consumer gave up on."""

AUTH_EVENTS = "konto.auth.events"
ORGS_EVENTS = "konto.orgs.events"
BILLING_EVENTS = "konto.billing.events"
VERIFICATION_EVENTS = "konto.verification.events"
NOTIFY_EVENTS = "konto.notify.events"
# Written by the hosting provider's mail product, outside the suite (AUTH-10).
MAIL_EVENTS = "konto.mail.events"


def dlq(topic: str) -> str:
    return f"{topic}.dlq"
