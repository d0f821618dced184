"""My organizations and switching the one a token speaks for (AUTH-11, ORG-1)."""

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

from konto.auth.api.deps import ActiveClaims, OrganizationsDep
from konto.auth.api.docs import BEARER_PROBLEMS, model_example
from konto.auth.api.sessions import TokensOut, tokens_out

router = APIRouter(tags=["organizations"])

_PROBLEM: dict[str, Any] = {"content": {"application/problem+json": {}}}


class SwitchOrgRequest(BaseModel):
    model_config = model_example({"org_id": "0190f5c2-8d1e-7c3a-9b2f-4e5d6a7b8c9d"})

    org_id: str = Field(max_length=64, examples=["0190f5c2-8d1e-7c3a-9b2f-4e5d6a7b8c9d"])


class OrganizationOut(BaseModel):
    model_config = model_example(
        {
            "org_id": "0190f5c2-8d1e-7c3a-9b2f-4e5d6a7b8c9d",
            "name": "Anna Muster",
            "role": "legal_representative",
            "personal": True,
            "current": True,
        }
    )

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
    return tokens_out(await organizations.switch(claims.sub, claims.sid, body.org_id))


@router.get(
    "/v1/me/organizations",
    summary="My organizations and the current one (AUTH-11)",
    responses=BEARER_PROBLEMS,
)
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
