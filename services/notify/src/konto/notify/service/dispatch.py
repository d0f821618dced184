"""Turns events into delivered messages, each at most once per (event, recipient, channel)."""

from pymongo.asynchronous.client_session import AsyncClientSession

from konto.common.events import KontoEvent, UserRegisteredV1, utcnow
from konto.notify.channels.email import SmtpMailer
from konto.notify.domain.messages import Person, plan
from konto.notify.rendering import Renderer
from konto.notify.store.deliveries import Deliveries
from konto.notify.store.people import People


class Dispatcher:
    def __init__(
        self,
        *,
        people: People,
        deliveries: Deliveries,
        renderer: Renderer,
        mailer: SmtpMailer,
        console_url: str,
    ) -> None:
        self.people = people
        self.deliveries = deliveries
        self.renderer = renderer
        self.mailer = mailer
        self.console_url = console_url

    async def on_event(self, event: KontoEvent, session: AsyncClientSession) -> None:
        if isinstance(event, UserRegisteredV1):
            data = event.data
            await self.people.upsert(
                Person(user_id=data.user_id, email=data.email, name=data.name, locale=data.locale),
                session,
            )
            return
        person = await self.people.get(event.subject, session)
        for out in plan(event, person, self.console_url):
            if not await self.deliveries.claim(out, utcnow()):
                continue
            rendered = self.renderer.render(out.template, out.locale, out.context)
            try:
                message_id = await self.mailer.send(
                    to=out.address,
                    rendered=rendered,
                    delivery_id=out.delivery_id,
                    headers={"X-Konto-Event-Id": out.event_id, "X-Konto-Template": out.template},
                )
            except Exception as exc:
                await self.deliveries.mark(out.delivery_id, "failed", utcnow(), error=str(exc))
                raise
            await self.deliveries.mark(out.delivery_id, "sent", utcnow(), message_id=message_id)
