"""The prepaid balance (BIL-8)."""

from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from konto.billing.api.deps import Actor, BalanceDep, IdempotencyKey
from konto.billing.domain.money import Currency, Money

router = APIRouter(prefix="/v1/orgs/{org}/balance", tags=["balance"])


class TopUpIn(BaseModel):
    amount: int = Field(gt=0, le=10_000_000, description="Minor units (Rappen, cents)")
    currency: Currency = "CHF"
    card_token: str = Field(min_length=1, max_length=200, description="From the card form")


class WithdrawIn(BaseModel):
    amount: int = Field(gt=0, le=10_000_000, description="Minor units")
    currency: Currency = "CHF"


@router.get("", summary="Balance (sum of the entries) and the entries, newest first")
async def get_balance(
    actor: Actor,
    balance: BalanceDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    before: Annotated[int | None, Query(ge=1, description="`next_before` of a page")] = None,
) -> dict[str, Any]:
    return await balance.show(actor.org_id, limit=limit, before=before)


@router.post("/top-ups", status_code=201, summary="Top up by card (idempotent by key)")
async def top_up(
    body: TopUpIn, actor: Actor, balance: BalanceDep, key: IdempotencyKey
) -> JSONResponse:
    answer = await balance.top_up(
        actor.org_id, actor.user_id, Money(body.amount, body.currency), body.card_token, key
    )
    return JSONResponse(answer.body, status_code=answer.status)


@router.post("/withdrawals", status_code=201, summary="Withdraw to the default address's IBAN")
async def withdraw(
    body: WithdrawIn, actor: Actor, balance: BalanceDep, key: IdempotencyKey
) -> JSONResponse:
    answer = await balance.withdraw(
        actor.org_id, actor.user_id, Money(body.amount, body.currency), key
    )
    return JSONResponse(answer.body, status_code=answer.status)
