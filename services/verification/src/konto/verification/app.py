"""verification's process: the case API for the person and for support agents, the consumer of
`open a case` commands, the outbox publisher of `konto.verification.events`, and the purge."""

import asyncio
from datetime import timedelta

from konto.common.crypto import SecretBox
from konto.common.s3 import ObjectStore
from konto.common.service import Runtime
from konto.verification.api import cases as cases_api
from konto.verification.api import review as review_api
from konto.verification.config import VerificationSettings
from konto.verification.events import published, subscribers
from konto.verification.service.cases import CaseDesk
from konto.verification.service.purge import Purge
from konto.verification.service.review import Review
from konto.verification.service.steps import Steps
from konto.verification.store.agents import Agents
from konto.verification.store.cases import Cases
from konto.verification.store.files import CaseFiles

settings = VerificationSettings()
runtime = Runtime("verification", settings)
db = runtime.mongo.db

cases = Cases(db)
agents = Agents(db)
files = CaseFiles(ObjectStore(settings), server_side_encryption=settings.s3_server_side_encryption)
runtime.on_startup(cases.ensure_indexes)
runtime.on_startup(files.ensure_bucket)

desk = CaseDesk(
    outbox=runtime.outbox,
    cases=cases,
    console_url=settings.console_url,
    link_ttl=timedelta(hours=settings.case_link_ttl_hours),
)
purge = Purge(
    cases=cases, files=files, undecided_after=timedelta(hours=settings.purge_after_submission_hours)
)
_background: set[asyncio.Task[None]] = set()


async def _start_purge() -> None:
    # Lives as long as the process's event loop; asyncio cancels it at shutdown.
    task = asyncio.create_task(purge.run_forever(settings.purge_interval_seconds), name="purge")
    _background.add(task)


runtime.on_startup(_start_purge)
subscribers.subscribe(runtime, desk)
published.declare(runtime)

app = runtime.create_app(
    title="Konto verification",
    description="Identity verification cases with documents and a selfie.",
    routers=[cases_api.router, review_api.router],
)
app.state.desk = desk
app.state.steps = Steps(
    settings=settings,
    outbox=runtime.outbox,
    cases=cases,
    files=files,
    command_box=SecretBox.from_base64(settings.command_key.get_secret_value()),
)
app.state.review = Review(
    outbox=runtime.outbox,
    cases=cases,
    agents=agents,
    files=files,
    target=timedelta(hours=settings.review_target_hours),
    url_ttl_seconds=settings.review_url_ttl_seconds,
)
