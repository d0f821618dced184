"""Retiring cancelled products (BIL-7): a product whose cancellation was confirmed works until
the end of its paid period; on that date a job retires it (status `ended`, never renewed
again), tells its owners to delete its backups for good (`product.ended`) and orgs the new
account state (ORG-7 counts active products). Each product is retired exactly once, also with
several workers running the job at the same time."""

import asyncio
import logging
from datetime import date, datetime
from typing import Any

from konto.billing.domain.cancellation import due_to_end
from konto.billing.service.common import Stores, transact
from konto.billing.service.state import announce_state
from konto.common.events import ProductEnded, ProductEndedV1, utcnow
from konto.common.outbox import Outbox, UnitOfWork

log = logging.getLogger(__name__)


class Retirement:
    def __init__(self, stores: Stores, outbox: Outbox) -> None:
        self.stores = stores
        self.outbox = outbox

    async def retire_due(self, now: datetime) -> int:
        """Retires every product whose paid period ended by `now`; returns how many this call
        retired (another worker's share is not counted)."""
        today = now.date()
        retired = 0
        for product in await self.stores.products.with_confirmed_cancellation():
            if not due_to_end(product.get("cancellation"), today):
                continue

            async def work(uow: UnitOfWork, product: dict[str, Any] = product) -> bool:
                return await self._retire(uow, product, now)

            retired += await transact(self.outbox, work)
        return retired

    async def _retire(self, uow: UnitOfWork, product: dict[str, Any], now: datetime) -> bool:
        if not await self.stores.products.retire(product["_id"], now, uow.session):
            return False  # retired by another worker meanwhile
        org_id, cancellation = product["org_id"], product["cancellation"]
        uow.emit(
            ProductEndedV1(
                subject=org_id,
                data=ProductEnded(
                    org_id=org_id,
                    product_id=product["_id"],
                    product_type=product["type"],
                    label=product["label"],
                    ended_on=date.fromisoformat(cancellation["ends_on"]),
                    confirmed_by=cancellation["confirmed_by"],
                ),
            )
        )
        await announce_state(self.stores, org_id, uow)
        return True

    async def run_forever(self, interval_seconds: float) -> None:
        while True:
            try:
                await self.retire_due(utcnow())
            except asyncio.CancelledError:
                raise
            except Exception:
                log.warning("product retirement pass failed; the next pass retries", exc_info=True)
            await asyncio.sleep(interval_seconds)
