"""Orders with a cart and their checkout (BIL-3)."""

from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from konto.billing.api.deps import Actor, HoldDep, IdempotencyKey, OrdersDep, SupportDep
from konto.billing.domain.orders import CartLine

router = APIRouter(prefix="/v1/orgs/{org}", tags=["orders"])


class LineIn(BaseModel):
    product_type: str = Field(max_length=50, description="A type from the catalog")
    months: int = Field(gt=0, le=120, description="One of the periods the type allows")
    label: str = Field(min_length=1, max_length=200, description="e.g. the domain name")
    free: bool = Field(default=False, description="Use a free grant of this type (support)")


class OrderIn(BaseModel):
    lines: list[LineIn] = Field(min_length=1, max_length=20)


class CheckoutIn(BaseModel):
    method: Literal["balance", "card", "bank_transfer"] = Field(
        description="`bank_transfer`: 202 with a pro-forma invoice to pay (BIL-4); nothing is "
        "renewed or delivered before the transfer arrives"
    )
    address_id: str | None = Field(default=None, description="Default: the default address")
    promo_code: str | None = Field(default=None, max_length=50)
    card_token: str | None = Field(default=None, max_length=200)


@router.post("/orders", status_code=201, summary="Put a cart of new products together")
async def create_order(body: OrderIn, actor: Actor, orders: OrdersDep) -> dict[str, Any]:
    lines = [CartLine(x.product_type, x.months, x.label, x.free) for x in body.lines]
    return await orders.create(actor.org_id, actor.user_id, lines)


@router.get("/orders", summary="The organization's orders, newest first")
async def list_orders(actor: Actor, orders: OrdersDep) -> list[dict[str, Any]]:
    return await orders.of_org(actor.org_id)


@router.get("/orders/{order_id}", summary="One order")
async def get_order(order_id: str, actor: Actor, orders: OrdersDep) -> dict[str, Any]:
    return await orders.get(actor.org_id, order_id)


def _client_country(request: Request) -> str | None:
    """The header the trusted edge proxy sets (settings name it); None without such a proxy."""
    header: str | None = request.app.state.client_country_header
    return request.headers.get(header) if header else None


@router.post(
    "/orders/{order_id}/checkout",
    status_code=201,
    summary="Pay the cart (idempotent by key): creates the products and the invoice, or "
    "holds a suspicious order (202, BIL-6)",
    description="Behind a trusted edge proxy, the client country it sets (header "
    "`CF-IPCountry` by default) is compared with the billing address's country (BIL-6).",
)
async def checkout(
    order_id: str,
    body: CheckoutIn,
    actor: Actor,
    orders: OrdersDep,
    key: IdempotencyKey,
    request: Request,
) -> JSONResponse:
    answer = await orders.checkout(
        actor.org_id,
        actor.user_id,
        order_id,
        method=body.method,
        address_id=body.address_id,
        promo_code=body.promo_code,
        card_token=body.card_token,
        key=key,
        client_country=_client_country(request),
    )
    return JSONResponse(answer.body, status_code=answer.status)


@router.post(
    "/orders/{order_id}/unlock-mail",
    status_code=202,
    summary="Send the unlock procedure of a held order again (BIL-6)",
)
async def resend_unlock_mail(order_id: str, actor: Actor, hold: HoldDep) -> dict[str, Any]:
    return await hold.resend(actor.org_id, order_id)


@router.get("/free-grants", summary="Free grants support recorded for the organization")
async def free_grants(actor: Actor, support: SupportDep) -> list[dict[str, Any]]:
    return await support.grants(actor.org_id)
