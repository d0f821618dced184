"""One real event of every kind notify maps to a message (NOT-1), built with the contract's
models, with the message each should cause: shared by notify's unit tests (plan and render)
and its e2e test (publish to the real topics, read Mailpit and the SMS sink)."""

from tests.support.notify_events.auth import auth_events, recovery_events, retired_login_id_events
from tests.support.notify_events.billing import billing_events
from tests.support.notify_events.orgs import orgs_events
from tests.support.notify_events.people import (
    CONSOLE,
    DEV_COMMAND_KEY,
    Expected,
    Who,
    locale_changed,
    registered,
    who,
)
from tests.support.notify_events.verification import verification_events

__all__ = [
    "CONSOLE",
    "DEV_COMMAND_KEY",
    "Expected",
    "Who",
    "auth_events",
    "billing_events",
    "locale_changed",
    "orgs_events",
    "recovery_events",
    "registered",
    "retired_login_id_events",
    "verification_events",
    "who",
]
