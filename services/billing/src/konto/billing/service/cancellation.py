"""Cancelling a product (BIL-7): requested (a link is mailed to the member who asked), then
confirmed with the link's token; the product keeps working until the end of its paid period
and open fees stay due. On confirmation the owners are told to delete its backups for good
and the other administrators get a notice."""

from datetime import date, timedelta
from typing import Any

from konto.billing.domain.cancellation import (
    CancellationRefused,
    administrators_to_tell,
    check_confirmable,
    check_requestable,
    confirm_url,
    hash_link_token,
    new_link_token,
)
from konto.billing.service.common import Stores, field_problem, transact
from konto.billing.service.products import product_json
from konto.common.errors import Problem
from konto.common.events import (
    CancellationNotice,
    CancellationNoticeV1,
    CancellationRequested,
    CancellationRequestedV1,
    ProductCancelled,
    ProductCancelledV1,
    utcnow,
)
from konto.common.outbox import Outbox, UnitOfWork


def _not_found() -> Problem:
    return Problem(404, "Not found", "no such product", code="product-not-found")


def _refused(exc: CancellationRefused) -> Problem:
    return Problem(409, "Conflict", str(exc), code="cancellation-refused")


class CancellationService:
    def __init__(
        self, stores: Stores, outbox: Outbox, *, console_url: str, link_ttl_seconds: int
    ) -> None:
        self.stores = stores
        self.outbox = outbox
        self.console_url = console_url
        self.link_ttl = timedelta(seconds=link_ttl_seconds)

    async def _email(self, user_id: str) -> str | None:
        """From billing's projection of auth's users (fed by `konto.auth.events`)."""
        user = await self.stores.users.get(user_id)
        return user.get("email") if user else None

    async def request(self, org_id: str, user_id: str, product_id: str) -> dict[str, Any]:
        product = await self.stores.products.get(org_id, product_id)
        if product is None or product["status"] != "active":
            raise _not_found()
        try:
            check_requestable(product.get("cancellation"))
        except CancellationRefused as exc:
            raise _refused(exc) from None
        token = new_link_token()
        now = utcnow()
        expires_at = now + self.link_ttl

        async def work(uow: UnitOfWork) -> None:
            if not await self.stores.products.request_cancellation(
                product_id,
                token_hash=hash_link_token(token),
                requested_by=user_id,
                now=now,
                expires_at=expires_at,
                session=uow.session,
            ):
                raise _refused(CancellationRefused("this product is cancelled already"))
            uow.emit(
                CancellationRequestedV1(
                    subject=org_id,
                    data=CancellationRequested(
                        org_id=org_id,
                        product_id=product_id,
                        product_type=product["type"],
                        label=product["label"],
                        requested_by=user_id,
                        email=await self._email(user_id),
                        confirm_url=confirm_url(self.console_url, token),
                        expires_at=expires_at,
                    ),
                )
            )

        await transact(self.outbox, work)
        return {"product_id": product_id, "status": "requested", "expires_at": expires_at}

    async def confirm(
        self, org_id: str, user_id: str, product_id: str, token: str
    ) -> dict[str, Any]:
        token_hash = hash_link_token(token)
        product = await self.stores.products.by_cancellation_token(org_id, product_id, token_hash)
        if product is None:
            raise field_problem("token", "this link is not valid")
        now = utcnow()
        try:
            check_confirmable(product.get("cancellation"), now)
        except CancellationRefused as exc:
            raise _refused(exc) from None
        # The paid period runs to the next renewal date; an overdue product ends today.
        ends_on = max(date.fromisoformat(product["renews_on"]), now.date())
        others = administrators_to_tell(await self.stores.memberships.of_org(org_id), user_id)
        emails = [e for e in [await self._email(uid) for uid in others] if e]

        async def work(uow: UnitOfWork) -> dict[str, Any]:
            if not await self.stores.products.confirm_cancellation(
                product_id,
                token_hash,
                confirmed_by=user_id,
                ends_on=ends_on,
                now=now,
                session=uow.session,
            ):
                raise _refused(CancellationRefused("this cancellation is confirmed already"))
            uow.emit(
                ProductCancelledV1(
                    subject=org_id,
                    data=ProductCancelled(
                        org_id=org_id,
                        product_id=product_id,
                        product_type=product["type"],
                        label=product["label"],
                        ends_on=ends_on,
                        confirmed_by=user_id,
                    ),
                )
            )
            if others:
                uow.emit(
                    CancellationNoticeV1(
                        subject=org_id,
                        data=CancellationNotice(
                            org_id=org_id,
                            product_id=product_id,
                            label=product["label"],
                            ends_on=ends_on,
                            cancelled_by=user_id,
                            recipients=others,
                            recipient_emails=emails,
                        ),
                    )
                )
            updated = await self.stores.products.get(org_id, product_id, uow.session)
            assert updated is not None
            return product_json(updated)

        return await transact(self.outbox, work)
