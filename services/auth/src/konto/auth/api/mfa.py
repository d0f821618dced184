from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Request, Response, status
from fastapi.responses import PlainTextResponse
from pydantic import BaseModel, Field

from konto.auth.api.deps import ActiveClaims, ClientDep, MfaDep, ProfilesDep, RecoveryCasesDep
from konto.auth.api.docs import BEARER_PROBLEMS, model_example, problem
from konto.auth.domain.backup_codes import as_text
from konto.auth.service.mfa_methods import Method, MfaConflict

router = APIRouter(prefix="/v1/me/mfa", tags=["second factors"])
login_router = APIRouter(prefix="/v1/sessions/mfa", tags=["sessions"])

_CONFLICT = problem(409, "mfa-conflict", "Conflict", "the request does not fit the current state")
_INVALID_CODE = problem(400, "invalid-code", "Invalid code", "the code does not match")
_FACTOR_REQUIRED = problem(
    403,
    "second-factor-required",
    "Second factor required",
    "no working code of any factor; `verification.href` leads to an identity verification",
)
_TOO_MANY_CODES = problem(429, "too-many-codes", "Too many codes", "too many codes were sent")
_CHALLENGE_INVALID = problem(
    401, "challenge-invalid", "Challenge invalid", "unknown, expired, answered or out of attempts"
)
_CONFIRM_PROBLEMS = {**BEARER_PROBLEMS, 400: _INVALID_CODE, 409: _CONFLICT}
_REMOVAL_PROBLEMS = {**BEARER_PROBLEMS, 403: _FACTOR_REQUIRED, 409: _CONFLICT}
# A removal's proof, as a whole-body example (the body itself is optional: 403 without it).
_PROOF_EXAMPLES: dict[str, Any] = {
    "app": {"value": {"code": "123456", "method": "totp"}},
    "backup code": {"value": {"code": "abcde-fghjk"}},
}


class MfaStatusOut(BaseModel):
    model_config = model_example(
        {"enabled": True, "methods": ["totp", "sms", "backup_code"], "backup_codes_remaining": 9}
    )

    enabled: bool
    methods: list[str] = Field(
        examples=[["totp", "sms", "push", "device_totp", "backup_code"]],
        description="Every method that answers a login challenge now",
    )
    backup_codes_remaining: int


class EnrolmentOut(BaseModel):
    model_config = model_example(
        {
            "secret": "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP",
            "otpauth_uri": "otpauth://totp/Konto:anna%40example.ch?secret=JBSWY3DPEHPK3PXP"
            "JBSWY3DPEHPK3PXP&issuer=Konto",
            "qr_svg": '<svg xmlns="http://www.w3.org/2000/svg" …</svg>',
        }
    )

    secret: str = Field(description="Base32 seed, for typing into an app by hand")
    otpauth_uri: str = Field(
        examples=["otpauth://totp/Konto:anna%40example.ch?secret=...&issuer=Konto"]
    )
    qr_svg: str = Field(description="The otpauth URI as a QR code, an inline SVG")


class CodeIn(BaseModel):
    model_config = model_example({"code": "123456"})

    code: str = Field(max_length=32, examples=["123456"])


class ProofIn(BaseModel):
    model_config = model_example({"code": "123456", "method": "totp"})

    code: str = Field(max_length=32, examples=["123456"], description="A code of any factor")
    method: Method | None = Field(
        default=None,
        description="Which factor the code is from; guessed when omitted (six digits: the app, "
        "a device, then SMS; else a backup code)",
    )


ProofBody = Annotated[ProofIn | None, Body(openapi_examples=_PROOF_EXAMPLES)]


def _proof(body: ProofIn | None) -> tuple[str | None, Method | None]:
    return (body.code, body.method) if body else (None, None)


class BackupCodesOut(BaseModel):
    model_config = model_example({"backup_codes": ["k7m2q-x9w4t", "…", "p3r8s-h2n6v"]})

    backup_codes: list[str] = Field(
        description="Shown this once; each works once. Empty when 2FA was on already"
    )


class SmsSentOut(BaseModel):
    model_config = model_example({"expires_in": 300})

    expires_in: int = Field(examples=[300], description="Seconds the code works")


class DeviceEnrolmentOut(BaseModel):
    model_config = model_example(
        {
            "enrolment_token": "q3N1…",
            "enrol_uri": "konto-device://enrol?token=q3N1…&api=https%3A%2F%2Fauth.konto.dev"
            "&account=anna%40example.ch&issuer=Konto",
            "qr_svg": '<svg xmlns="http://www.w3.org/2000/svg" …</svg>',
            "expires_in": 600,
        }
    )

    enrolment_token: str = Field(description="One-time; the device sends it to POST /v1/devices")
    enrol_uri: str = Field(
        examples=["konto-device://enrol?token=...&api=https%3A%2F%2Fauth.konto.dev&account=..."]
    )
    qr_svg: str = Field(description="The enrol URI as a QR code, an inline SVG")
    expires_in: int = Field(examples=[600])


class DeviceOut(BaseModel):
    model_config = model_example(
        {
            "id": "0193a5c8-7d2e-7c41-9b8e-2f1d3c4b5a69",
            "name": "Anna's phone",
            "push": True,
            "created_at": "2026-11-21T12:00:00Z",
        }
    )

    id: str
    name: str = Field(examples=["Anna's phone"])
    push: bool = Field(description="Whether the device gets push notifications")
    created_at: datetime


class ChallengeIn(BaseModel):
    model_config = model_example({"challenge_id": "0193a5c8-7d2e-7c41-9b8e-2f1d3c4b5a69"})

    challenge_id: str = Field(max_length=64)


class PushStartedOut(BaseModel):
    model_config = model_example(
        {"approval_id": "0193a5c9-1f00-7a41-8b8e-2f1d3c4b5a70", "expires_in": 120, "pushed": 1}
    )

    approval_id: str
    expires_in: int = Field(examples=[120], description="Seconds the device has to answer")
    pushed: int = Field(description="Devices notified by push; the others see it when they poll")


class VerificationRequestedOut(BaseModel):
    model_config = model_example({"status": "requested"})

    status: Literal["requested"] = "requested"


@router.get("", summary="My second factors (AUTH-9)", responses=BEARER_PROBLEMS)
async def mfa_status(claims: ActiveClaims, mfa: MfaDep) -> MfaStatusOut:
    return MfaStatusOut(**(await mfa.status(claims.sub)).__dict__)


@router.post(
    "/totp",
    status_code=status.HTTP_201_CREATED,
    summary="Start enrolling an authenticator app: secret, otpauth URI, QR code (AUTH-9)",
    responses={**BEARER_PROBLEMS, 409: _CONFLICT},
)
async def enrol_totp(claims: ActiveClaims, mfa: MfaDep, profiles: ProfilesDep) -> EnrolmentOut:
    user = await profiles.get(claims.sub)
    enrolment = await mfa.enrol_totp(claims.sub, user["email"])
    return EnrolmentOut(**enrolment.__dict__)


@router.post(
    "/totp/confirm",
    summary="Confirm the app with a code; when this starts 2FA also returns 10 backup codes "
    "(AUTH-9)",
    responses=_CONFIRM_PROBLEMS,
)
async def confirm_totp(body: CodeIn, claims: ActiveClaims, mfa: MfaDep) -> BackupCodesOut:
    return BackupCodesOut(backup_codes=await mfa.confirm_totp(claims.sub, body.code))


@router.delete(
    "/totp",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Remove the authenticator app with a working code; as the last method this ends "
    "2FA (AUTH-9)",
    responses=_REMOVAL_PROBLEMS,
)
async def remove_totp(claims: ActiveClaims, mfa: MfaDep, body: ProofBody = None) -> None:
    await mfa.remove_totp(claims.sub, *_proof(body))


@router.post(
    "/sms",
    status_code=status.HTTP_202_ACCEPTED,
    summary="Send a 6-digit code to my mobile: confirms SMS as a factor, or proves a removal "
    "(AUTH-9)",
    responses={**BEARER_PROBLEMS, 409: _CONFLICT, 429: _TOO_MANY_CODES},
)
async def send_sms_code(claims: ActiveClaims, mfa: MfaDep) -> SmsSentOut:
    return SmsSentOut(expires_in=await mfa.send_sms_code(claims.sub))


@router.post(
    "/sms/confirm",
    summary="Turn SMS codes on with the code just sent; when this starts 2FA also returns 10 "
    "backup codes (AUTH-9)",
    responses=_CONFIRM_PROBLEMS,
)
async def confirm_sms(body: CodeIn, claims: ActiveClaims, mfa: MfaDep) -> BackupCodesOut:
    return BackupCodesOut(backup_codes=await mfa.confirm_sms(claims.sub, body.code))


@router.delete(
    "/sms",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Stop SMS codes with a working code; as the last method this ends 2FA (AUTH-9)",
    responses=_REMOVAL_PROBLEMS,
)
async def remove_sms(claims: ActiveClaims, mfa: MfaDep, body: ProofBody = None) -> None:
    await mfa.remove_sms(claims.sub, *_proof(body))


@router.post(
    "/devices",
    status_code=status.HTTP_201_CREATED,
    summary="Start enrolling an authenticator device: a one-time token and its QR code; the "
    "device then calls POST /v1/devices (AUTH-9)",
    responses=BEARER_PROBLEMS,
)
async def start_device_enrolment(
    claims: ActiveClaims, mfa: MfaDep, profiles: ProfilesDep
) -> DeviceEnrolmentOut:
    user = await profiles.get(claims.sub)
    started = await mfa.devices.start_enrolment(claims.sub, user["email"])
    return DeviceEnrolmentOut(**started.__dict__)


@router.get("/devices", summary="My authenticator devices (AUTH-9)", responses=BEARER_PROBLEMS)
async def list_devices(claims: ActiveClaims, mfa: MfaDep) -> list[DeviceOut]:
    return [DeviceOut(**d.__dict__) for d in await mfa.devices.of_user(claims.sub)]


@router.delete(
    "/devices/{device_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Remove a device with a working code; the last method ends 2FA (AUTH-9)",
    responses=_REMOVAL_PROBLEMS,
)
async def remove_device(
    device_id: str,
    claims: ActiveClaims,
    mfa: MfaDep,
    body: ProofBody = None,
) -> None:
    await mfa.remove_device(claims.sub, device_id, *_proof(body))


@router.post(
    "/verification",
    status_code=status.HTTP_202_ACCEPTED,
    summary="Lost every factor: ask for an identity verification; once approved, every second "
    "factor is removed (AUTH-9, VER-3)",
    responses={
        **BEARER_PROBLEMS,
        409: _CONFLICT,
        429: problem(429, "too-many-attempts", "Too many attempts", "with Retry-After"),
    },
)
async def request_mfa_removal(
    claims: ActiveClaims, cases: RecoveryCasesDep
) -> VerificationRequestedOut:
    if not await cases.request_mfa_removal(claims.sub):
        raise MfaConflict("two-factor login is not enabled")
    return VerificationRequestedOut()


@router.post(
    "/backup-codes",
    response_model=BackupCodesOut,
    summary="New backup codes; the old ones stop working. `Accept: text/plain` gives a file "
    "(AUTH-9)",
    responses={**BEARER_PROBLEMS, 200: {"content": {"text/plain": {}}}, 409: _CONFLICT},
)
async def regenerate_backup_codes(
    request: Request, claims: ActiveClaims, mfa: MfaDep, profiles: ProfilesDep
) -> BackupCodesOut | Response:
    codes = await mfa.regenerate_backup_codes(claims.sub)
    if "text/plain" in request.headers.get("accept", ""):
        user = await profiles.get(claims.sub)
        return PlainTextResponse(
            as_text(codes, user["email"]),
            headers={"content-disposition": 'attachment; filename="konto-backup-codes.txt"'},
        )
    return BackupCodesOut(backup_codes=codes)


@login_router.post(
    "/sms",
    status_code=status.HTTP_202_ACCEPTED,
    summary="Send a login code by SMS for a challenge; again for a new code (AUTH-9)",
    responses={401: _CHALLENGE_INVALID, 409: _CONFLICT, 429: _TOO_MANY_CODES},
)
async def send_login_sms(body: ChallengeIn, mfa: MfaDep) -> SmsSentOut:
    return SmsSentOut(expires_in=await mfa.login.send_sms(body.challenge_id))


@login_router.post(
    "/push",
    status_code=status.HTTP_202_ACCEPTED,
    summary="Ask my authenticator devices to approve this login; then poll POST "
    "/v1/sessions/mfa with method `push` (AUTH-9)",
    responses={401: _CHALLENGE_INVALID, 409: _CONFLICT},
)
async def start_push(body: ChallengeIn, client: ClientDep, mfa: MfaDep) -> PushStartedOut:
    started = await mfa.login.start_push(body.challenge_id, client)
    return PushStartedOut(**started.__dict__)
