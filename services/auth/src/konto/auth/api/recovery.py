"""Recovery e-mail (AUTH-7) and forgotten login id (AUTH-8)."""

from typing import Any, Literal

from fastapi import APIRouter, status
from pydantic import BaseModel, Field

from konto.auth.api.deps import ActiveClaims, LoginRecoveryDep, RecoveryEmailsDep
from konto.auth.api.docs import BEARER_PROBLEMS, model_example
from konto.auth.service.recovery_email import RecoveryEmailView

router = APIRouter(tags=["recovery"])

_PROBLEM: dict[str, Any] = {"content": {"application/problem+json": {}}}


class RecoveryEmailOut(BaseModel):
    model_config = model_example(
        {"recovery_email": "anna.private@example.org", "pending_email": None}
    )

    recovery_email: str | None = Field(description="Confirmed; where reset links and reminders go")
    pending_email: str | None = Field(description="Waiting for its link to be opened")


class RecoveryEmailIn(BaseModel):
    model_config = model_example({"email": "anna.private@example.org"})

    email: str = Field(max_length=320, examples=["anna.private@example.org"])


class ConfirmIn(BaseModel):
    model_config = model_example({"token": "Qm9…the token of the mailed link"})

    token: str = Field(max_length=128, description="From the link mailed to the new address")


class LoginRecoveryIn(BaseModel):
    model_config = model_example(
        {"mobile": "+41791234567", "recovery_email": "anna.private@example.org", "locale": "de"}
    )

    mobile: str = Field(max_length=32, examples=["+41791234567"])
    recovery_email: str | None = Field(
        default=None, max_length=320, description="Needed when several accounts share the mobile"
    )
    locale: Literal["de", "fr", "en", "it"] = "de"


class LoginRecoveryAccepted(BaseModel):
    model_config = model_example(
        {
            "status": "accepted",
            "message": "If this identifies one account, its login id is on its way.",
        }
    )

    status: Literal["accepted"] = "accepted"
    message: str = (
        "If this identifies one account, its login id is on its way by SMS, or by e-mail to "
        "the recovery address. If several accounts share the number, repeat with your "
        "recovery e-mail."
    )


def _out(view: RecoveryEmailView) -> RecoveryEmailOut:
    return RecoveryEmailOut(recovery_email=view.recovery_email, pending_email=view.pending_email)


@router.get(
    "/v1/me/recovery-email", summary="My recovery e-mail (AUTH-7)", responses=BEARER_PROBLEMS
)
async def get_recovery_email(claims: ActiveClaims, emails: RecoveryEmailsDep) -> RecoveryEmailOut:
    return _out(await emails.view(claims.sub))


@router.put(
    "/v1/me/recovery-email",
    status_code=status.HTTP_202_ACCEPTED,
    summary="Set or change my recovery e-mail: it counts once the link mailed to it is opened "
    "(AUTH-7)",
    responses={422: {**_PROBLEM, "description": "validation-error naming email"}},
)
async def put_recovery_email(
    body: RecoveryEmailIn, claims: ActiveClaims, emails: RecoveryEmailsDep
) -> RecoveryEmailOut:
    return _out(await emails.request_change(claims.sub, body.email))


@router.post(
    "/v1/recovery-email/confirm",
    summary="Confirm a new recovery e-mail with the mailed link's token (AUTH-7)",
    responses={400: {**_PROBLEM, "description": "invalid-confirmation"}},
)
async def confirm_recovery_email(body: ConfirmIn, emails: RecoveryEmailsDep) -> RecoveryEmailOut:
    address = await emails.confirm(body.token)
    return RecoveryEmailOut(recovery_email=address, pending_email=None)


@router.post(
    "/v1/login-recovery",
    status_code=status.HTTP_202_ACCEPTED,
    summary="Forgotten login id (AUTH-8): the same answer whether or not anything matched",
    responses={
        422: {**_PROBLEM, "description": "validation-error naming mobile or recovery_email"},
        429: {**_PROBLEM, "description": "too-many-attempts, with Retry-After"},
    },
)
async def login_recovery(
    body: LoginRecoveryIn, recovery: LoginRecoveryDep
) -> LoginRecoveryAccepted:
    await recovery.request(body.mobile, body.recovery_email, body.locale)
    return LoginRecoveryAccepted()
