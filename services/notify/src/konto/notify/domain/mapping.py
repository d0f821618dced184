"""Which events notify acts on and the messages they cause (NOT-1): the people projection's
input (auth's registrations and profile updates) and each service's messages."""

from collections.abc import Mapping

from konto.common.events import KontoEvent, UserRegisteredV1, UserUpdatedV1
from konto.notify.domain import (
    auth_messages,
    billing_messages,
    orgs_messages,
    recovery_messages,
    verification_messages,
)
from konto.notify.domain.messages import Outgoing, Person


def _of_account(event: KontoEvent) -> bool:
    """auth's events about one account: their subject is the user id."""
    return auth_messages.concerns(event) or recovery_messages.concerns(event)


def concerns(event: KontoEvent) -> bool:
    """Whether notify acts on this event at all; the others skip MongoDB entirely."""
    return (
        isinstance(event, UserRegisteredV1 | UserUpdatedV1)
        or _of_account(event)
        or orgs_messages.concerns(event)
        or verification_messages.concerns(event)
        or billing_messages.concerns(event)
    )


def people_needed(event: KontoEvent) -> set[str]:
    """The user ids to look up in the people projection before planning."""
    if _of_account(event):
        return {event.subject}
    return (
        orgs_messages.people_needed(event)
        | verification_messages.people_needed(event)
        | billing_messages.people_needed(event)
    )


def plan(event: KontoEvent, people: Mapping[str, Person], console_url: str) -> list[Outgoing]:
    """The messages an event causes; none when nobody must hear about it."""
    if auth_messages.concerns(event):
        return auth_messages.auth_messages(event, people.get(event.subject), console_url)
    if recovery_messages.concerns(event):
        return recovery_messages.recovery_messages(event, people.get(event.subject), console_url)
    if orgs_messages.concerns(event):
        return orgs_messages.orgs_messages(event, people)
    if billing_messages.concerns(event):
        return billing_messages.billing_messages(event, people, console_url)
    return verification_messages.verification_messages(event, people)
