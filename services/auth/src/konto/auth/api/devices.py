"""The authenticator device's own API (AUTH-9): no bearer token; enrolment proves itself with
the QR code's one-time token, every later call with the device's Ed25519 signature."""

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Request, status
from pydantic import BaseModel, Field, field_validator

from konto.auth.api.deps import MfaDep
from konto.auth.api.docs import model_example, problem
from konto.auth.domain import device_keys
from konto.auth.domain.approvals import Decision

router = APIRouter(prefix="/v1/devices", tags=["authenticator devices"])

_UNAUTHORIZED = problem(
    401,
    "device-unauthorized",
    "Device unauthorized",
    "unknown device, a stale timestamp or a signature that does not verify",
)
_SIGNED = (
    "Headers `X-Konto-Device-Timestamp` (Unix seconds) and `X-Konto-Device-Signature` "
    "(base64url Ed25519 signature over `METHOD\\npath\\ntimestamp`)"
)


class EnrolIn(BaseModel):
    model_config = model_example(
        {
            "enrolment_token": "q3N1…the token of the QR code",
            "public_key": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo",
            "name": "Anna's phone",
            "push_token": "fcm:dGhpcyBpcyBhIHB1c2ggdG9rZW4",
        }
    )

    enrolment_token: str = Field(max_length=128, description="From the QR code's URI")
    public_key: str = Field(
        max_length=64,
        description="The device's Ed25519 public key: 32 raw bytes, base64url",
        examples=["11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"],
    )
    name: str = Field(min_length=1, max_length=80, examples=["Anna's phone"])
    push_token: str | None = Field(
        default=None, max_length=4096, description="APNs / FCM token; without it the device polls"
    )

    @field_validator("public_key")
    @classmethod
    def _ed25519(cls, value: str) -> str:
        return device_keys.parse_public_key(value)


class EnrolledOut(BaseModel):
    model_config = model_example(
        {
            "device_id": "0193a5c8-7d2e-7c41-9b8e-2f1d3c4b5a69",
            "totp_secret": "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP",
            "otpauth_uri": "otpauth://totp/Konto:anna%40example.ch?secret=JBSWY3DPEHPK3PXP"
            "JBSWY3DPEHPK3PXP&issuer=Konto",
            "backup_codes": [],
        }
    )

    device_id: str
    totp_secret: str = Field(description="The device's own TOTP seed, for codes when offline")
    otpauth_uri: str
    backup_codes: list[str] = Field(
        description="10 backup codes when this device starts 2FA (shown once), else empty"
    )


class ApprovalOut(BaseModel):
    model_config = model_example(
        {
            "approval_id": "0193a5c9-1f00-7a41-8b8e-2f1d3c4b5a70",
            "ip": "203.0.113.7",
            "user_agent": "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0",
            "created_at": "2026-11-21T12:00:00Z",
            "expires_at": "2026-11-21T12:02:00Z",
        }
    )

    approval_id: str
    ip: str = Field(examples=["203.0.113.7"], description="Where the login comes from")
    user_agent: str
    created_at: datetime
    expires_at: datetime


class DecisionIn(BaseModel):
    model_config = model_example({"decision": "approve", "signature": "3q2-…base64url, 64 bytes"})

    decision: Decision
    signature: str = Field(
        max_length=128,
        description="base64url Ed25519 signature over "
        "`konto-approval\\n<approval id>\\n<decision>`",
    )


async def _device(
    device_id: str,
    request: Request,
    mfa: MfaDep,
    timestamp: Annotated[str, Header(alias="x-konto-device-timestamp", max_length=32)],
    signature: Annotated[str, Header(alias="x-konto-device-signature", max_length=128)],
) -> dict[str, Any]:
    return await mfa.devices.authenticate(
        device_id, request.method, request.url.path, timestamp, signature
    )


SignedDevice = Annotated[dict[str, Any], Depends(_device)]


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Enrol this device with the QR code's token and its public key (AUTH-9)",
    responses={
        400: problem(
            400, "invalid-enrolment", "Invalid enrolment", "the QR code is unknown, used or expired"
        )
    },
)
async def enrol(body: EnrolIn, mfa: MfaDep) -> EnrolledOut:
    enrolled = await mfa.enrol_device(
        body.enrolment_token, body.public_key, body.name, body.push_token
    )
    return EnrolledOut(
        device_id=enrolled.device.device_id,
        totp_secret=enrolled.device.totp_secret,
        otpauth_uri=enrolled.device.otpauth_uri,
        backup_codes=enrolled.backup_codes,
    )


@router.get(
    "/{device_id}/approvals",
    summary="Logins waiting for this device's approval (AUTH-9). " + _SIGNED,
    responses={401: _UNAUTHORIZED},
)
async def pending_approvals(device: SignedDevice, mfa: MfaDep) -> list[ApprovalOut]:
    return [ApprovalOut(**a.__dict__) for a in await mfa.devices.pending(device)]


@router.post(
    "/{device_id}/approvals/{approval_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Approve or deny a waiting login, signed (AUTH-9). " + _SIGNED,
    responses={
        401: _UNAUTHORIZED,
        404: problem(
            404, "approval-not-found", "Not found", "decided, expired or another person's"
        ),
    },
)
async def decide(approval_id: str, body: DecisionIn, device: SignedDevice, mfa: MfaDep) -> None:
    await mfa.devices.decide(device, approval_id, body.decision, body.signature)
