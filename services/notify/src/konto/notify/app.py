"""notify's process: consumes the other services' events and sends the messages."""

from konto.common.service import Runtime
from konto.notify.channels.email import SmtpMailer
from konto.notify.config import NotifySettings
from konto.notify.events import subscribers
from konto.notify.rendering import Renderer
from konto.notify.service.dispatch import Dispatcher
from konto.notify.store.deliveries import Deliveries
from konto.notify.store.people import People

settings = NotifySettings()
runtime = Runtime("notify", settings)

deliveries = Deliveries(runtime.mongo.db)
runtime.on_startup(deliveries.ensure_indexes)
dispatcher = Dispatcher(
    people=People(runtime.mongo.db),
    deliveries=deliveries,
    renderer=Renderer(),
    mailer=SmtpMailer(settings),
    console_url=settings.console_url,
)
subscribers.subscribe(runtime, dispatcher)

app = runtime.create_app(
    title="Konto notify",
    description="Security e-mails, SMS and push messages, each delivered once per person.",
)
