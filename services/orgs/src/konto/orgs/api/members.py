from datetime import datetime
from typing import Any

from fastapi import APIRouter, Response, status
from pydantic import BaseModel, Field

from konto.orgs.api.deps import ActorDep, MembersDep
from konto.orgs.domain.roles import Role
from konto.orgs.service.members import AccessChange

router = APIRouter(prefix="/v1/orgs/{org_id}/members", tags=["members"])


class MemberOut(BaseModel):
    user_id: str
    email: str | None = Field(description="From auth's events; null until orgs has read them")
    name: str | None
    role: Role
    products: list[str]
    billing: bool
    joined_at: datetime


class MemberChange(BaseModel):
    role: Role | None = None
    products: list[str] | None = Field(
        default=None, max_length=500, description="Collaborators and externals only"
    )
    billing: bool | None = None


def member_out(m: dict[str, Any]) -> MemberOut:
    return MemberOut(
        user_id=m["user_id"],
        email=m.get("email"),
        name=m.get("name"),
        role=Role(m["role"]),
        products=m["products"],
        billing=m["billing"],
        joined_at=m["joined_at"],
    )


@router.get("", summary="Members with role, products and billing flag (ORG-2)")
async def list_members(org_id: str, actor: ActorDep, members: MembersDep) -> list[MemberOut]:
    return [member_out(m) for m in await members.of_org(actor, org_id)]


@router.patch("/{user_id}", summary="Change role, products or billing rights (ORG-3)")
async def change(
    org_id: str, user_id: str, body: MemberChange, actor: ActorDep, members: MembersDep
) -> MemberOut:
    changed = await members.change(
        actor,
        org_id,
        user_id,
        AccessChange(role=body.role, products=body.products, billing=body.billing),
    )
    return member_out(changed)


@router.delete(
    "/{user_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Remove a member, or leave (ORG-3); the last legal representative stays",
)
async def remove(org_id: str, user_id: str, actor: ActorDep, members: MembersDep) -> Response:
    await members.remove(actor, org_id, user_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
