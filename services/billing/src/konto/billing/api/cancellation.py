"""Cancelling a product (BIL-7): request, then confirm with the mailed link's token."""

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

from konto.billing.api.deps import Actor, CancellationDep

router = APIRouter(prefix="/v1/orgs/{org}/products/{product_id}", tags=["cancellation"])


class ConfirmIn(BaseModel):
    token: str = Field(min_length=10, max_length=200, description="From the mailed link")


@router.post("/cancellation", status_code=202, summary="Ask to cancel; a link is mailed")
async def request_cancellation(
    product_id: str, actor: Actor, service: CancellationDep
) -> dict[str, Any]:
    return await service.request(actor.org_id, actor.user_id, product_id)


@router.post("/cancellation/confirm", summary="Confirm: the product ends with its paid period")
async def confirm_cancellation(
    product_id: str, body: ConfirmIn, actor: Actor, service: CancellationDep
) -> dict[str, Any]:
    return await service.confirm(actor.org_id, actor.user_id, product_id, body.token)
