"""The notify service's contract.

- `konto.notify.commands`: what other services ask notify to send, e.g. an SMS code. A code is
  sealed (`konto.common.crypto.SecretBox`, the shared command key, the command's subject as
  associated data) and opened only inside notify, so it is never plain in Kafka's log.
- `konto.notify.deliveries` carries only deliveries that gave up: they are dead-lettered to
  `konto.notify.deliveries.dlq`, and a replay of that topic brings them back to notify, which
  queues the delivery again (NOT-4).
"""

from datetime import datetime
from typing import ClassVar, Literal

from pydantic import Field

from konto.common.events.envelope import Event, EventData

NOTIFY_COMMANDS = "konto.notify.commands"
NOTIFY_DELIVERIES = "konto.notify.deliveries"


class DeliveryFailed(EventData):
    delivery_id: str = Field(description="`<event id>:<recipient>:<channel>`")
    event_id: str = Field(description="The event the message was about")
    event_type: str
    recipient: str = Field(description="User id")
    channel: Literal["email", "sms", "push"]
    template: str
    attempts: int
    error: str = Field(description="The last attempt's error")


class DeliveryFailedV1(Event):
    topic: ClassVar[str] = NOTIFY_DELIVERIES
    type: Literal["konto.notify.delivery.failed.v1"] = "konto.notify.delivery.failed.v1"
    source: str = "konto/notify"
    data: DeliveryFailed


class SendSmsCode(EventData):
    # `password_reset` was added later (optional for senders): a notify older than it would
    # refuse such a command, so deploy notify before a sender starts using it.
    purpose: Literal["verification_code", "login_code", "password_reset"] = Field(
        description="Which message text: a code for a verification case, a login or a "
        "password reset (AUTH-6)"
    )
    mobile: str = Field(description="E.164")
    locale: Literal["de", "fr", "en", "it"]
    sealed_code: str = Field(
        description="The code, sealed with the shared command key, the subject as associated data"
    )
    expires_at: datetime = Field(description="After this the code is not sent any more")
    user_id: str | None = None


class SendSmsCodeV1(Event):
    """Command: send a one-time code by SMS, once per command id (the envelope's `id`).
    Subject = the requester's aggregate (a case id, a user id)."""

    topic: ClassVar[str] = NOTIFY_COMMANDS
    type: Literal["konto.notify.sms_code.send.v1"] = "konto.notify.sms_code.send.v1"
    source: str = Field(description="The requesting service, e.g. konto/verification")
    data: SendSmsCode


class SendPush(EventData):
    user_id: str
    device_id: str
    sealed_push_token: str = Field(
        description="The device's push token, sealed with the shared command key, the subject "
        "(the user id) as associated data: a push token lets anyone push to the device"
    )
    template: Literal["login_approval"] = Field(
        description="Which title and body: `login_approval` asks to approve a login (AUTH-9)"
    )
    locale: Literal["de", "fr", "en", "it"]
    approval_id: str = Field(description="What the device opens when the push is tapped")
    ip: str = Field(description="Where the login comes from, shown in the body")
    user_agent: str
    expires_at: datetime = Field(description="After this the push is not sent any more")


class SendPushV1(Event):
    """Command: push to one enrolled device, once per command id. Subject = the user id."""

    topic: ClassVar[str] = NOTIFY_COMMANDS
    type: Literal["konto.notify.push.send.v1"] = "konto.notify.push.send.v1"
    source: str = Field(description="The requesting service, e.g. konto/auth")
    data: SendPush


NotifyEventTypes = DeliveryFailedV1 | SendSmsCodeV1 | SendPushV1
