"""Renewals due, paying a selection of them (BIL-4), and the invoices (BIL-5)."""

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from konto.billing.api.deps import Actor, IdempotencyKey, InvoicesDep, PaymentsDep
from konto.billing.service.payments import Item

router = APIRouter(prefix="/v1/orgs/{org}", tags=["payments", "invoices"])


class ItemIn(BaseModel):
    product_id: str
    months: int = Field(gt=0, le=120, description="One of the periods the type allows")
    renews_on: date | None = Field(
        default=None,
        description="The renewal being paid, as listed by /payments/due; if the product has "
        "moved on since (paid meanwhile), the payment is refused with 409",
    )


class PaymentIn(BaseModel):
    items: list[ItemIn] = Field(min_length=1, max_length=50)
    method: Literal["balance", "card", "bank_transfer"] = Field(
        description="`bank_transfer`: 202 with a pro-forma invoice to pay (BIL-4); nothing is "
        "renewed or delivered before the transfer arrives"
    )
    address_id: str | None = Field(default=None, description="Default: the default address")
    card_token: str | None = Field(default=None, max_length=200)


@router.get("/payments/due", summary="Products renewing in a window (default: next 2 months)")
async def due(
    actor: Actor,
    payments: PaymentsDep,
    start: Annotated[date | None, Query(alias="from")] = None,
    end: Annotated[date | None, Query(alias="to")] = None,
) -> dict[str, Any]:
    return await payments.due(actor.org_id, start, end)


@router.post("/payments", status_code=201, summary="Pay a selection of renewals as one")
async def pay(
    body: PaymentIn, actor: Actor, payments: PaymentsDep, key: IdempotencyKey
) -> JSONResponse:
    answer = await payments.pay(
        actor.org_id,
        actor.user_id,
        [Item(i.product_id, i.months, i.renews_on) for i in body.items],
        body.method,
        body.address_id,
        body.card_token,
        key,
    )
    return JSONResponse(answer.body, status_code=answer.status)


@router.get("/invoices", summary="The organization's invoices, newest first")
async def invoices(actor: Actor, service: InvoicesDep) -> list[dict[str, Any]]:
    return await service.list(actor.org_id)


@router.get("/invoices/{invoice_id}/pdf", summary="A short-lived download link to the PDF")
async def invoice_pdf(invoice_id: str, actor: Actor, service: InvoicesDep) -> dict[str, Any]:
    return await service.pdf_url(actor.org_id, invoice_id)
