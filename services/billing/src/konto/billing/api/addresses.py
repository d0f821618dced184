"""Billing addresses (BIL-2)."""

from typing import Any

from fastapi import APIRouter, Response, status
from pydantic import BaseModel, Field

from konto.billing.api.deps import Actor, AddressesDep

router = APIRouter(prefix="/v1/orgs/{org}/billing-addresses", tags=["billing addresses"])


class AddressIn(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    street: str = Field(min_length=1, max_length=200)
    postcode: str = Field(min_length=1, max_length=20)
    city: str = Field(min_length=1, max_length=100)
    country: str = Field(min_length=2, max_length=2, description="ISO 3166 alpha-2; sets VAT")
    iban: str | None = Field(default=None, max_length=50, description="Payouts go here")
    vat_id: str | None = Field(default=None, max_length=30)
    default: bool = False


class AddressPatch(BaseModel):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    street: str | None = Field(default=None, min_length=1, max_length=200)
    postcode: str | None = Field(default=None, min_length=1, max_length=20)
    city: str | None = Field(default=None, min_length=1, max_length=100)
    country: str | None = Field(default=None, min_length=2, max_length=2)
    iban: str | None = Field(default=None, max_length=50)
    vat_id: str | None = Field(default=None, max_length=30)
    default: bool | None = Field(default=None, description="true makes this the default")


@router.get("", summary="The organization's billing addresses")
async def list_addresses(actor: Actor, addresses: AddressesDep) -> list[dict[str, Any]]:
    return await addresses.list(actor.org_id)


@router.post("", status_code=status.HTTP_201_CREATED, summary="Add an address (first: default)")
async def add_address(body: AddressIn, actor: Actor, addresses: AddressesDep) -> dict[str, Any]:
    return await addresses.add(actor.org_id, body.model_dump())


@router.patch("/{address_id}", summary="Change an address or make it the default")
async def change_address(
    address_id: str, body: AddressPatch, actor: Actor, addresses: AddressesDep
) -> dict[str, Any]:
    # Only the fields sent change; an explicit null removes an IBAN or VAT id.
    changes = body.model_dump(exclude_unset=True)
    return await addresses.change(actor.org_id, address_id, changes)


@router.delete("/{address_id}", status_code=204, summary="Delete a non-default address")
async def delete_address(address_id: str, actor: Actor, addresses: AddressesDep) -> Response:
    await addresses.delete(actor.org_id, address_id)
    return Response(status_code=204)
