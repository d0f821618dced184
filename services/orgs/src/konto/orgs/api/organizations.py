from datetime import datetime
from typing import Any

from fastapi import APIRouter, status
from pydantic import BaseModel, Field

from konto.orgs.api.deps import ActorDep, OrganizationsDep
from konto.orgs.domain.names import MAX_LENGTH
from konto.orgs.domain.roles import Role

router = APIRouter(prefix="/v1/orgs", tags=["organizations"])


class OrganizationIn(BaseModel):
    name: str = Field(min_length=1, max_length=MAX_LENGTH)


class OrganizationOut(BaseModel):
    id: str
    name: str
    personal: bool = Field(description="Founded on the person's own registration (ORG-2)")
    created_at: datetime
    role: Role = Field(description="The caller's role in it")
    products: list[str] = Field(description="The caller's products (collaborators, externals)")
    billing: bool = Field(description="Whether the caller has billing rights")


def organization_out(org: dict[str, Any], membership: dict[str, Any]) -> OrganizationOut:
    return OrganizationOut(
        id=org["_id"],
        name=org["name"],
        personal=org.get("personal", False),
        created_at=org["created_at"],
        role=Role(membership["role"]),
        products=membership["products"],
        billing=membership["billing"],
    )


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Create an organization; the caller becomes its legal representative (ORG-6)",
)
async def create(body: OrganizationIn, actor: ActorDep, orgs: OrganizationsDep) -> OrganizationOut:
    return organization_out(*await orgs.create(actor, body.name))


@router.get("", summary="My organizations, with my role in each (ORG-1)")
async def mine(actor: ActorDep, orgs: OrganizationsDep) -> list[OrganizationOut]:
    return [organization_out(org, m) for org, m in await orgs.mine(actor)]


@router.get("/{org_id}", summary="One of my organizations (404 if not a member)")
async def get(org_id: str, actor: ActorDep, orgs: OrganizationsDep) -> OrganizationOut:
    return organization_out(*await orgs.get(actor, org_id))


@router.patch("/{org_id}", summary="Rename (administrators, legal representatives)")
async def rename(
    org_id: str, body: OrganizationIn, actor: ActorDep, orgs: OrganizationsDep
) -> OrganizationOut:
    return organization_out(*await orgs.rename(actor, org_id, body.name))
