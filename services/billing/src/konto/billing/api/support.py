"""Billing support staff's endpoints (BIL-3): promo codes and free grants."""

from datetime import datetime
from typing import Any, Literal

from fastapi import APIRouter
from pydantic import BaseModel, Field

from konto.billing.api.deps import SupportDep
from konto.billing.domain.money import Currency
from konto.billing.domain.promo import PromoCode
from konto.billing.service.support import aware
from konto.common.jwt import CurrentClaims

router = APIRouter(tags=["support"])


class PromoIn(BaseModel):
    code: str = Field(min_length=3, max_length=50, pattern=r"^[A-Za-z0-9_-]+$")
    kind: Literal["percent", "fixed"]
    value: int = Field(gt=0, description="Basis points for percent (1000 = 10 %), else minor")
    currency: Currency | None = Field(default=None, description="Required for fixed")
    valid_from: datetime
    valid_until: datetime
    max_uses: int = Field(gt=0, le=1_000_000)
    product_types: list[str] = Field(default=[], description="Empty: every type")


class GrantIn(BaseModel):
    product_type: str = Field(max_length=50)


@router.post("/v1/promo-codes", status_code=201, summary="Create a promo code (staff)")
async def create_promo(body: PromoIn, claims: CurrentClaims, support: SupportDep) -> dict[str, Any]:
    promo = PromoCode(
        code=body.code,
        kind=body.kind,
        value=body.value,
        currency=body.currency,
        valid_from=aware(body.valid_from),
        valid_until=aware(body.valid_until),
        max_uses=body.max_uses,
        used=0,
        product_types=frozenset(body.product_types),
    )
    return await support.create_promo(claims.sub, promo)


@router.post(
    "/v1/orgs/{org}/free-grants", status_code=201, summary="Grant one product free (staff)"
)
async def grant_free(
    org: str, body: GrantIn, claims: CurrentClaims, support: SupportDep
) -> dict[str, Any]:
    return await support.grant_free(claims.sub, org, body.product_type)
