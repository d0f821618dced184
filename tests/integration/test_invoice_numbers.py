"""BIL-5 on the real MongoDB-wire server: invoice numbers per year have no gaps, whatever mix
of committed and rolled-back invoices, also when several are issued at once (hypothesis)."""

import asyncio
import contextlib
import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pymongo.asynchronous.client_session import AsyncClientSession

from konto.billing.domain.invoice_numbers import invoice_number
from konto.billing.store.invoice_numbers import InvoiceNumbers
from konto.common.mongo import Mongo
from tests.support.servers import MONGO_URL

pytestmark = pytest.mark.servers


class _Abort(Exception):
    pass


async def _issue(mongo: Mongo, numbers: InvoiceNumbers, year: int, commit: bool) -> None:
    invoices = mongo.db["invoices_numbering"]

    async def write(session: AsyncClientSession) -> None:
        sequence = await numbers.next(year, session)
        await invoices.insert_one(
            {"_id": str(uuid.uuid4()), "year": year, "number": invoice_number(year, sequence)},
            session=session,
        )
        if not commit:
            raise _Abort  # e.g. the PDF could not be stored: nothing of it stays

    async with mongo.client.start_session() as session:
        with contextlib.suppress(_Abort):
            await session.with_transaction(write)


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(plan=st.lists(st.booleans(), min_size=1, max_size=8), parallel=st.integers(1, 3))
def test_numbers_have_no_gaps_BIL_5(
    servers: None, run_id: str, plan: list[bool], parallel: int
) -> None:
    async def scenario() -> list[str]:
        mongo = Mongo(MONGO_URL, f"t{run_id}_integration")
        numbers = InvoiceNumbers(mongo.db)
        year = 2000 + uuid.uuid4().int % 1_000_000  # a fresh sequence per example
        gate = asyncio.Semaphore(parallel)

        async def one(commit: bool) -> None:
            async with gate:
                await _issue(mongo, numbers, year, commit)

        await asyncio.gather(*(one(c) for c in plan))
        cursor = mongo.db["invoices_numbering"].find({"year": year})
        issued = sorted([doc["number"] async for doc in cursor])
        await mongo.close()
        return issued

    issued = asyncio.run(scenario())
    year = issued[0].split("-")[0] if issued else ""
    assert issued == [f"{year}-{n:06d}" for n in range(1, sum(plan) + 1)]
