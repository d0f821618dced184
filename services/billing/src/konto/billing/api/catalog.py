"""The product catalog and an organization's products (BIL-1)."""

from datetime import date
from typing import Any

from fastapi import APIRouter, status
from pydantic import BaseModel, Field

from konto.billing.api.deps import Actor, ProductsDep
from konto.billing.service.products import catalog_json

router = APIRouter(prefix="/v1", tags=["products"])


class ProductIn(BaseModel):
    type: str = Field(description="A catalog type, e.g. domain.ch")
    label: str = Field(min_length=1, max_length=200, description="e.g. the domain name")
    renews_on: date | None = Field(default=None, description="Default: today (due at once)")


@router.get("/catalog", summary="Product types, their renewal periods and prices (minor units)")
async def get_catalog() -> list[dict[str, Any]]:
    return catalog_json()


@router.get("/orgs/{org}/products", summary="The organization's products and renewal dates")
async def list_products(actor: Actor, products: ProductsDep) -> list[dict[str, Any]]:
    return await products.list(actor.org_id)


@router.post(
    "/orgs/{org}/products",
    status_code=status.HTTP_201_CREATED,
    summary="Create a product directly (not in prod: stands in for orders until BIL-3)",
)
async def create_product(body: ProductIn, actor: Actor, products: ProductsDep) -> dict[str, Any]:
    return await products.create(actor.org_id, body.type, body.label, body.renews_on)
