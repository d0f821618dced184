"""notify's process: consumes the other services' events, sends the messages, retries the
failed ones in the background, and serves the delivery log and preferences."""

from datetime import timedelta

from konto.common.crypto import SecretBox
from konto.common.service import Runtime
from konto.notify.api import deliveries as deliveries_api
from konto.notify.api import preferences as preferences_api
from konto.notify.channels import email_provider, push_provider, sms_provider
from konto.notify.config import NotifySettings
from konto.notify.domain.retry import RetryPolicy
from konto.notify.events import dead_letters, subscribers
from konto.notify.rendering import Renderer
from konto.notify.service.commands import Commands
from konto.notify.service.delivery import Courier
from konto.notify.service.dispatch import Dispatcher
from konto.notify.store.deliveries import Deliveries
from konto.notify.store.people import People
from konto.notify.store.preferences import Preferences
from konto.notify.store.staff import Staff

settings = NotifySettings()
runtime = Runtime("notify", settings)
db = runtime.mongo.db

deliveries = Deliveries(db)
preferences = Preferences(db)
runtime.on_startup(deliveries.ensure_indexes)
courier = Courier(
    deliveries=deliveries,
    renderer=Renderer(),
    email=email_provider(settings),
    sms=sms_provider(settings),
    push=push_provider(settings),
    dead_letters=dead_letters.DeliveryDeadLetters(runtime.broker),
    policy=RetryPolicy(
        max_attempts=settings.delivery_max_attempts,
        base_seconds=settings.delivery_retry_base_seconds,
        max_seconds=settings.delivery_retry_max_seconds,
    ),
    lease=timedelta(seconds=settings.delivery_lease_seconds),
    poll_seconds=settings.delivery_poll_seconds,
    command_box=SecretBox.from_base64(settings.command_key.get_secret_value()),
)
runtime.on_startup(courier.start)
dispatcher = Dispatcher(
    people=People(db),
    deliveries=deliveries,
    preferences=preferences,
    courier=courier,
    console_url=settings.console_url,
    max_age=timedelta(seconds=settings.message_max_age_seconds),
    only_recipients=settings.only_recipients,
)
subscribers.subscribe(
    runtime,
    dispatcher,
    courier,
    Commands(deliveries=deliveries, courier=courier, lease=courier.lease),
)
dead_letters.declare(runtime)

app = runtime.create_app(
    title="Konto notify",
    description="Security e-mails, SMS and push messages, each delivered once per person.",
    routers=[deliveries_api.router, preferences_api.router],
)
app.state.deliveries = deliveries
app.state.preferences = preferences
app.state.staff = Staff(db)
