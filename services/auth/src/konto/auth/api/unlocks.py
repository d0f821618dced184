"""Asking to unlock a locked account through an identity verification (AUTH-5, VER-1)."""

from typing import Any, Literal

from fastapi import APIRouter, status
from pydantic import BaseModel, Field

from konto.auth.api.deps import RecoveryCasesDep
from konto.auth.api.docs import model_example

router = APIRouter(tags=["sessions"])

_PROBLEM: dict[str, Any] = {"content": {"application/problem+json": {}}}


class UnlockRequest(BaseModel):
    model_config = model_example({"email": "anna@example.ch"})

    email: str = Field(max_length=320, examples=["anna@example.ch"])


class UnlockAccepted(BaseModel):
    model_config = model_example(
        {
            "status": "accepted",
            "message": "If this account is locked, a link to verify your identity is on its way.",
        }
    )

    status: Literal["accepted"] = "accepted"
    message: str = "If this account is locked, a link to verify your identity is on its way."


@router.post(
    "/v1/account-unlocks",
    status_code=status.HTTP_202_ACCEPTED,
    summary="Ask for an identity verification that unlocks my locked account (AUTH-5); the "
    "answer is the same for every login id",
    responses={429: {**_PROBLEM, "description": "too-many-attempts, with Retry-After"}},
)
async def request_unlock(body: UnlockRequest, cases: RecoveryCasesDep) -> UnlockAccepted:
    await cases.request_unlock(body.email)
    return UnlockAccepted()
