"""My organizations and switching the one a token speaks for (AUTH-11, ORG-1)."""

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

from konto.auth.api.deps import ActiveClaims, OrganizationsDep
from konto.auth.api.sessions import TokensOut, tokens_out
from konto.auth.service.organizations import NotAMember, SessionEnded
from konto.common.errors import Problem

router = APIRouter(tags=["organizations"])

_PROBLEM: dict[str, Any] = {"content": {"application/problem+json": {}}}


class SwitchOrgRequest(BaseModel):
    org_id: str = Field(max_length=64, examples=["0190f5c2-8d1e-7c3a-9b2f-4e5d6a7b8c9d"])


class OrganizationOut(BaseModel):
    org_id: str
    name: str
    role: str = Field(examples=["legal_representative"])
    personal: bool = Field(description="Founded for this person at registration (ORG-2)")
    current: bool = Field(description="The organization of the token making this request")


@router.post(
    "/v1/sessions/switch-org",
    summary="New tokens of this session for another of my organizations (AUTH-11, ORG-1)",
    responses={
        401: {**_PROBLEM, "description": "session-ended"},
        404: {**_PROBLEM, "description": "org-not-found: no such organization of mine"},
    },
)
async def switch_org(
    body: SwitchOrgRequest, claims: ActiveClaims, organizations: OrganizationsDep
) -> TokensOut:
    try:
        issued = await organizations.switch(claims.sub, claims.sid, body.org_id)
    except NotAMember as exc:
        # 404 as for an organization that does not exist: membership is not revealed.
        raise Problem(
            404, "Not found", "no such organization of yours", code="org-not-found"
        ) from exc
    except SessionEnded as exc:
        raise Problem(401, "Unauthorized", "this session has ended", code="session-ended") from exc
    return tokens_out(issued)


@router.get("/v1/me/organizations", summary="My organizations and the current one (AUTH-11)")
async def my_organizations(
    claims: ActiveClaims, organizations: OrganizationsDep
) -> list[OrganizationOut]:
    listing = await organizations.listing(claims.sub, claims.org)
    return [
        OrganizationOut(
            org_id=m.org_id,
            name=m.org_name,
            role=m.role,
            personal=m.personal,
            current=m.org_id == listing.current,
        )
        for m in listing.memberships
    ]
