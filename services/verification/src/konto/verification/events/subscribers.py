"""verification's Kafka subscriptions: the `open a case` command other services send (VER-1)."""

from konto.common.events import KontoEvent, OpenCaseV1
from konto.common.events.verification import VERIFICATION_COMMANDS
from konto.common.outbox import UnitOfWork
from konto.common.service import Runtime
from konto.verification.service.cases import CaseDesk


def subscribe(runtime: Runtime, desk: CaseDesk) -> None:
    async def on_command(event: KontoEvent, uow: UnitOfWork) -> None:
        if isinstance(event, OpenCaseV1):
            await desk.open_from_command(event, uow)

    runtime.consumer("commands", VERIFICATION_COMMANDS, handler=on_command)
