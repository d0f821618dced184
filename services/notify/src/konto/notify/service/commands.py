"""Commands other services send to notify (`konto.notify.commands`): an SMS code, or a push to
one authenticator device, each sent once per command id. The code and the push token stay
sealed in the delivery row; the courier opens them only to send (`Courier._opened`), so they
are never plain in Kafka, MongoDB or the logs."""

import logging
from datetime import timedelta

from konto.common.events import KontoEvent, SendPushV1, SendSmsCodeV1, utcnow
from konto.common.outbox import UnitOfWork
from konto.notify.domain.messages import Outgoing, pick_locale
from konto.notify.service.delivery import Courier
from konto.notify.store.deliveries import Deliveries

log = logging.getLogger(__name__)


def sms_code(command: SendSmsCodeV1) -> Outgoing:
    data = command.data
    return Outgoing(
        event_id=command.id,
        event_type=command.type,
        recipient=data.user_id or data.mobile,
        channel="sms",
        template=data.purpose,
        locale=pick_locale(data.locale),
        address=data.mobile,
        context={
            "sealed_code": data.sealed_code,
            "sealed_for": command.subject,
            "expires_at": data.expires_at,
        },
    )


def push(command: SendPushV1) -> Outgoing:
    """One delivery per (command, device): a command names one device."""
    data = command.data
    return Outgoing(
        event_id=command.id,
        event_type=command.type,
        recipient=data.user_id,
        channel="push",
        template=data.template,
        locale=pick_locale(data.locale),
        address=f"device:{data.device_id}",
        context={
            "sealed_token": data.sealed_push_token,
            "sealed_for": command.subject,
            "expires_at": data.expires_at,
            "approval_id": data.approval_id,
            "ip": data.ip,
            "user_agent": data.user_agent,
        },
    )


def planned(command: KontoEvent) -> Outgoing | None:
    if isinstance(command, SendSmsCodeV1):
        return sms_code(command)
    if isinstance(command, SendPushV1):
        return push(command)
    return None


def is_command(event: KontoEvent) -> bool:
    return isinstance(event, SendSmsCodeV1 | SendPushV1)


class Commands:
    def __init__(self, *, deliveries: Deliveries, courier: Courier, lease: timedelta) -> None:
        self.deliveries = deliveries
        self.courier = courier
        self.lease = lease

    async def on_command(self, command: KontoEvent, uow: UnitOfWork) -> None:
        out = planned(command)
        if out is None:
            return
        now = utcnow()
        if out.context["expires_at"] <= now:
            log.info("expired command dropped", extra={"command_id": command.id})
            return
        delivery = await self.deliveries.claim(out, now, self.lease)
        if delivery is not None:
            await self.courier.attempt(delivery)
