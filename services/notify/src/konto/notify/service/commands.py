"""Commands other services send to notify (`konto.notify.commands`): an SMS code, sent once per
command id. The code stays sealed in the delivery row; the courier opens it only to render the
SMS (see `SealedSecrets`), so it is never plain in Kafka, MongoDB or the logs."""

import logging
from datetime import timedelta

from konto.common.events import KontoEvent, SendSmsCodeV1, utcnow
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


class Commands:
    def __init__(self, *, deliveries: Deliveries, courier: Courier, lease: timedelta) -> None:
        self.deliveries = deliveries
        self.courier = courier
        self.lease = lease

    async def on_command(self, command: KontoEvent, uow: UnitOfWork) -> None:
        if not isinstance(command, SendSmsCodeV1):
            return
        now = utcnow()
        if command.data.expires_at <= now:
            log.info("expired SMS code command dropped", extra={"command_id": command.id})
            return
        delivery = await self.deliveries.claim(sms_code(command), now, self.lease)
        if delivery is not None:
            await self.courier.attempt(delivery)
