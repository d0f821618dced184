"""Turns events into deliveries, each at most once per (event, recipient, channel).

A new delivery is recorded and tried at once (fast path); if the provider fails, the row waits
for the retry loop (service/delivery.py) and the event is still acknowledged, so one provider
outage never holds the partition. The row is written outside the consumer's transaction on
purpose: it must survive an abort there, or a redelivery would send the message again.
"""

import logging
import re
from datetime import timedelta

from konto.common.events import KontoEvent, UserRegisteredV1, UserUpdatedV1, utcnow
from konto.common.outbox import UnitOfWork
from konto.notify.domain.mapping import people_needed, plan
from konto.notify.domain.messages import Person, addressable, is_stale
from konto.notify.domain.preferences import allows
from konto.notify.service.delivery import Courier
from konto.notify.store.deliveries import Deliveries
from konto.notify.store.people import People
from konto.notify.store.preferences import Preferences

log = logging.getLogger(__name__)


class Dispatcher:
    def __init__(
        self,
        *,
        people: People,
        deliveries: Deliveries,
        preferences: Preferences,
        courier: Courier,
        console_url: str,
        max_age: timedelta,
        only_recipients: str | None = None,
    ) -> None:
        self.people = people
        self.deliveries = deliveries
        self.preferences = preferences
        self.courier = courier
        self.console_url = console_url
        self.max_age = max_age
        self.only = re.compile(only_recipients) if only_recipients else None

    async def on_event(self, event: KontoEvent, uow: UnitOfWork) -> None:
        session = uow.session
        if isinstance(event, UserRegisteredV1):
            data = event.data
            await self.people.upsert(
                Person(
                    user_id=data.user_id,
                    email=data.email,
                    name=data.name,
                    locale=data.locale,
                    mobile=data.mobile,
                ),
                session,
            )
            return
        if isinstance(event, UserUpdatedV1):  # the locale (or name) changed: write accordingly
            await self.people.update(event.data.user_id, event.data.changes, session)
            return
        now = utcnow()
        if is_stale(event.time, now, self.max_age):
            return
        people: dict[str, Person] = {}
        for user_id in people_needed(event):
            person = await self.people.get(user_id, session)
            if person is not None:
                people[user_id] = person
            else:  # not registered through auth's events (yet): messages to them are skipped
                log.info("person unknown", extra={"user_id": user_id, "event_type": event.type})
        for out in plan(event, people, self.console_url):
            if not addressable(out, self.only):
                continue
            if not out.security and not allows(
                out, await self.preferences.opted_out(out.recipient, session)
            ):
                await self.deliveries.claim(out, now, self.courier.lease, status="suppressed")
                continue
            delivery = await self.deliveries.claim(out, now, self.courier.lease)
            if delivery is None:
                continue  # sent already, or the retry loop owns it
            status = await self.courier.attempt(delivery)
            log.info("delivery", extra={"delivery_id": out.delivery_id, "status": status})
