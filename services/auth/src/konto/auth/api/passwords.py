"""Password reset and change (AUTH-6)."""

from typing import Any, Literal

from fastapi import APIRouter, status
from pydantic import BaseModel, Field, model_validator

from konto.auth.api.deps import ActiveClaims, PasswordChangesDep, ResetsDep
from konto.auth.api.docs import model_example
from konto.auth.domain.passwords import MAX_LENGTH

router = APIRouter(tags=["passwords"])

_PROBLEM: dict[str, Any] = {"content": {"application/problem+json": {}}}
ACCEPTED_MESSAGE = "If an account matches, we have sent instructions to the chosen option."


class ResetRequest(BaseModel):
    model_config = model_example({"email": "anna@example.ch", "channel": "email"})

    email: str = Field(max_length=320, examples=["anna@example.ch"])
    channel: Literal["email", "sms"] = Field(
        description="A link by e-mail or a 6-digit code by SMS to the account's mobile"
    )


class Accepted(BaseModel):
    model_config = model_example({"status": "accepted", "message": ACCEPTED_MESSAGE})

    status: Literal["accepted"] = "accepted"
    message: str = ACCEPTED_MESSAGE


class ResetConfirm(BaseModel):
    model_config = model_example(
        {"token": "Xk2…the token of the mailed link", "new_password": "a new long passphrase"}
    )

    token: str | None = Field(default=None, max_length=128, description="From the mailed link")
    email: str | None = Field(default=None, max_length=320, description="With `code`")
    code: str | None = Field(default=None, max_length=12, examples=["123456"])
    new_password: str = Field(max_length=MAX_LENGTH)

    @model_validator(mode="after")
    def _token_or_code(self) -> "ResetConfirm":
        if not self.token and not (self.email and self.code):
            raise ValueError("send either token, or email and code")
        return self


class PasswordChange(BaseModel):
    model_config = model_example(
        {
            "current_password": "correct horse battery staple",
            "new_password": "a new long passphrase",
        }
    )

    current_password: str = Field(max_length=1024)
    new_password: str = Field(max_length=MAX_LENGTH)


@router.post(
    "/v1/password-resets",
    status_code=status.HTTP_202_ACCEPTED,
    summary="Ask for a password reset (AUTH-6); the answer is the same whether or not the "
    "account exists",
    responses={429: {**_PROBLEM, "description": "too-many-attempts, with Retry-After"}},
)
async def request_reset(body: ResetRequest, resets: ResetsDep) -> Accepted:
    await resets.request(body.email, body.channel)
    return Accepted()


@router.post(
    "/v1/password-resets/confirm",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Set a new password with the mailed link's token or the SMS code (AUTH-6); every "
    "session ends",
    responses={
        400: {**_PROBLEM, "description": "invalid-reset: unknown, used or expired, wrong code"},
        422: {**_PROBLEM, "description": "validation-error naming the field"},
    },
)
async def confirm_reset(body: ResetConfirm, resets: ResetsDep) -> None:
    if body.token:
        await resets.confirm_link(body.token, body.new_password)
    else:  # the model made sure both are there
        await resets.confirm_code(body.email or "", body.code or "", body.new_password)


@router.post(
    "/v1/me/password",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Change my password with the current one (AUTH-6); my other sessions end",
    responses={
        403: {**_PROBLEM, "description": "wrong-password"},
        422: {**_PROBLEM, "description": "validation-error naming the field"},
    },
)
async def change_password(
    body: PasswordChange, claims: ActiveClaims, changes: PasswordChangesDep
) -> None:
    await changes.change(claims.sub, claims.sid, body.current_password, body.new_password)
