from typing import Any

from fastapi import APIRouter, Response, status
from pydantic import BaseModel, Field

from konto.orgs.api.deps import ActorDep, DeletionDep

router = APIRouter(prefix="/v1/orgs/{org_id}", tags=["organizations"])


class DeletionCheckOut(BaseModel):
    deletable: bool
    blockers: list[dict[str, Any]] = Field(
        description="reason (active_products, prepaid_balance, open_invoices, open_proformas), "
        "message, and count or amount {minor, currency}"
    )


@router.get(
    "/deletion",
    summary="What still blocks deleting the organization (ORG-7; legal representatives)",
)
async def deletion_check(org_id: str, actor: ActorDep, deletion: DeletionDep) -> DeletionCheckOut:
    found = await deletion.blockers(actor, org_id)
    return DeletionCheckOut(deletable=not found, blockers=[b.as_json() for b in found])


@router.delete(
    "",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete the organization (ORG-7; legal representatives); 409 lists what blocks it",
    responses={409: {"description": "problem+json `deletion-blocked` with `blockers`"}},
)
async def delete(org_id: str, actor: ActorDep, deletion: DeletionDep) -> Response:
    await deletion.delete(actor, org_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
