from typing import Annotated, Any

from fastapi import APIRouter, Body, Request, Response, status
from fastapi.responses import PlainTextResponse
from pydantic import BaseModel, Field

from konto.auth.api.deps import ActiveClaims, MfaDep, ProfilesDep
from konto.auth.domain.backup_codes import as_text
from konto.auth.service.mfa import InvalidCode, MfaConflict
from konto.common.errors import Problem

router = APIRouter(prefix="/v1/me/mfa", tags=["second factors"])

_PROBLEM: dict[str, Any] = {"content": {"application/problem+json": {}}}


class MfaStatusOut(BaseModel):
    enabled: bool
    methods: list[str] = Field(examples=[["totp", "backup_code"]])
    backup_codes_remaining: int


class EnrolmentOut(BaseModel):
    secret: str = Field(description="Base32 seed, for typing into an app by hand")
    otpauth_uri: str = Field(
        examples=["otpauth://totp/Konto:anna%40example.ch?secret=...&issuer=Konto"]
    )
    qr_svg: str = Field(description="The otpauth URI as a QR code, an inline SVG")


class CodeIn(BaseModel):
    code: str = Field(max_length=32, examples=["123456"])


class BackupCodesOut(BaseModel):
    backup_codes: list[str] = Field(description="Shown this once; each works once")


def _conflict(exc: MfaConflict) -> Problem:
    return Problem(409, "Conflict", str(exc), code="mfa-conflict")


@router.get("", summary="My second factors (AUTH-9)")
async def mfa_status(claims: ActiveClaims, mfa: MfaDep) -> MfaStatusOut:
    return MfaStatusOut(**(await mfa.status(claims.sub)).__dict__)


@router.post(
    "/totp",
    status_code=status.HTTP_201_CREATED,
    summary="Start enrolling an authenticator app: secret, otpauth URI, QR code (AUTH-9)",
    responses={409: {**_PROBLEM, "description": "TOTP already enabled"}},
)
async def enrol_totp(claims: ActiveClaims, mfa: MfaDep, profiles: ProfilesDep) -> EnrolmentOut:
    user = await profiles.get(claims.sub)
    try:
        enrolment = await mfa.enrol_totp(claims.sub, user["email"])
    except MfaConflict as exc:
        raise _conflict(exc) from exc
    return EnrolmentOut(**enrolment.__dict__)


@router.post(
    "/totp/confirm",
    summary="Confirm the app with a code; the first time also returns 10 backup codes (AUTH-9)",
    responses={
        400: {**_PROBLEM, "description": "invalid-code"},
        409: {**_PROBLEM, "description": "no enrolment started"},
    },
)
async def confirm_totp(body: CodeIn, claims: ActiveClaims, mfa: MfaDep) -> BackupCodesOut:
    try:
        codes = await mfa.confirm_totp(claims.sub, body.code)
    except InvalidCode as exc:
        raise Problem(400, "Invalid code", "the code does not match", code="invalid-code") from exc
    except MfaConflict as exc:
        raise _conflict(exc) from exc
    return BackupCodesOut(backup_codes=codes)


@router.delete(
    "/totp",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Remove the authenticator app; as the last method this disables 2FA and needs a "
    "working code (AUTH-9)",
    responses={
        403: {**_PROBLEM, "description": "second-factor-required"},
        409: {**_PROBLEM, "description": "TOTP not enabled"},
    },
)
async def remove_totp(
    claims: ActiveClaims, mfa: MfaDep, body: Annotated[CodeIn | None, Body()] = None
) -> None:
    try:
        await mfa.remove_totp(claims.sub, body.code if body else None)
    except InvalidCode as exc:
        raise Problem(
            403,
            "Second factor required",
            "disabling two-factor login needs a current TOTP or backup code; without one, "
            "an identity verification",
            code="second-factor-required",
        ) from exc
    except MfaConflict as exc:
        raise _conflict(exc) from exc


@router.post(
    "/backup-codes",
    response_model=BackupCodesOut,
    summary="New backup codes; the old ones stop working. `Accept: text/plain` gives a file "
    "(AUTH-9)",
    responses={
        200: {"content": {"text/plain": {}}},
        409: {**_PROBLEM, "description": "2FA not enabled"},
    },
)
async def regenerate_backup_codes(
    request: Request, claims: ActiveClaims, mfa: MfaDep, profiles: ProfilesDep
) -> BackupCodesOut | Response:
    try:
        codes = await mfa.regenerate_backup_codes(claims.sub)
    except MfaConflict as exc:
        raise _conflict(exc) from exc
    if "text/plain" in request.headers.get("accept", ""):
        user = await profiles.get(claims.sub)
        return PlainTextResponse(
            as_text(codes, user["email"]),
            headers={"content-disposition": 'attachment; filename="konto-backup-codes.txt"'},
        )
    return BackupCodesOut(backup_codes=codes)
