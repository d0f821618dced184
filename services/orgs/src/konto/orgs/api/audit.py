from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from konto.orgs.api.deps import ActorDep, AuditDep

router = APIRouter(prefix="/v1/orgs/{org_id}/audit", tags=["audit"])


class AuditEntryOut(BaseModel):
    id: str
    at: datetime
    actor: str = Field(description="User id of who did it")
    ip: str | None = Field(description="Client address; null for changes caused by an event")
    action: str = Field(description="e.g. membership.changed")
    target: dict[str, str] = Field(description="type (organization, member, invitation) and id")
    before: dict[str, Any] | None
    after: dict[str, Any] | None


class AuditPageOut(BaseModel):
    items: list[AuditEntryOut]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next (older) page")


@router.get("", summary="Audit trail, newest first (ORG-9; administrators, legal representatives)")
async def audit_trail(
    org_id: str,
    actor: ActorDep,
    audit: AuditDep,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: Annotated[str | None, Query(max_length=64)] = None,
    action: Annotated[str | None, Query(max_length=64)] = None,
    by: Annotated[str | None, Query(max_length=64, description="Only this actor's")] = None,
) -> AuditPageOut:
    page = await audit.page(actor, org_id, limit=limit, cursor=cursor, action=action, by=by)
    return AuditPageOut(
        items=[
            AuditEntryOut(
                id=row["_id"], **{k: row[k] for k in AuditEntryOut.model_fields if k != "id"}
            )
            for row in page.items
        ],
        next_cursor=page.next_cursor,
    )
