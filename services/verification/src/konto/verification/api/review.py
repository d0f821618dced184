"""Support agents' routes (VER-3): the queue, one case, the decision."""

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from konto.common.errors import Problem
from konto.common.events import utcnow
from konto.verification.api.deps import AgentId, ReviewDep
from konto.verification.service.review import NotReviewable

router = APIRouter(prefix="/v1/review/cases", tags=["review"])


class DecisionIn(BaseModel):
    outcome: Literal["approve", "reject"]
    reason: str = Field(min_length=3, max_length=1000, description="Told to the person")


def _not_reviewable() -> Problem:
    return Problem(404, "Not found", "no case waiting for a decision", code="case-not-reviewable")


@router.get("", summary="Submitted cases, highest priority then longest wait first (VER-3)")
async def queue(
    agent: AgentId, review: ReviewDep, limit: Annotated[int, Query(ge=1, le=200)] = 50
) -> dict[str, Any]:
    return {"items": await review.queue(utcnow(), limit)}


@router.get("/{case_id}", summary="One case with short-lived photo links (VER-3, VER-4)")
async def detail(case_id: str, agent: AgentId, review: ReviewDep) -> dict[str, Any]:
    try:
        return await review.detail(case_id, utcnow())
    except NotReviewable as exc:
        raise _not_reviewable() from exc


@router.post("/{case_id}/decision", summary="Approve or reject with a reason (VER-3)")
async def decide(
    case_id: str, body: DecisionIn, agent: AgentId, review: ReviewDep
) -> dict[str, Any]:
    try:
        case = await review.decide(
            case_id, agent, body.outcome == "approve", body.reason.strip(), utcnow()
        )
    except NotReviewable as exc:
        raise _not_reviewable() from exc
    return {"id": case["_id"], "status": case["status"], "decided_at": case["decided_at"]}
