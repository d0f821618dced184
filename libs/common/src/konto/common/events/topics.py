"""Topic names: one per owning service and kind; `<topic>.dlq` holds what a consumer gave up on."""

AUTH_EVENTS = "konto.auth.events"
ORGS_EVENTS = "konto.orgs.events"
BILLING_EVENTS = "konto.billing.events"
VERIFICATION_EVENTS = "konto.verification.events"
NOTIFY_EVENTS = "konto.notify.events"


def dlq(topic: str) -> str:
    return f"{topic}.dlq"
