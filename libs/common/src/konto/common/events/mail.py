"""Events of the hosting provider's mail product (not a Konto service) on `konto.mail.events`;
Konto reads them. Subject is the mailbox id."""

from datetime import datetime
from typing import ClassVar, Literal

from pydantic import Field

from konto.common.events.envelope import Event, EventData
from konto.common.events.topics import MAIL_EVENTS


class MailboxDeleted(EventData):
    address: str = Field(description="The deleted mailbox's address, as the mail product has it")
    mailbox_id: str
    deleted_at: datetime


class MailboxDeletedV1(Event):
    """A hosted mailbox is gone: when it was someone's login identifier, auth retires it
    (AUTH-10)."""

    topic: ClassVar[str] = MAIL_EVENTS
    type: Literal["konto.mail.mailbox.deleted.v1"] = "konto.mail.mailbox.deleted.v1"
    source: str = "konto/mail"
    data: MailboxDeleted


MailEventTypes = MailboxDeletedV1
