"""Case routes: open one for oneself (logged in), everything else by the link's token."""

from datetime import datetime
from typing import Any, Literal

from fastapi import APIRouter, status
from pydantic import BaseModel, Field

from konto.common.errors import Problem
from konto.common.events import utcnow
from konto.common.jwt import CurrentClaims
from konto.verification.api.deps import CaseByToken, DeskDep, StepsDep
from konto.verification.domain.cases import StepRefused, normalize_mobile
from konto.verification.domain.codes import CodeRejected
from konto.verification.service.cases import view
from konto.verification.service.steps import Position

router = APIRouter(prefix="/v1/cases", tags=["cases"])


class OpenCaseRequest(BaseModel):
    reason: Literal["first_payout"] = "first_payout"
    locale: Literal["de", "fr", "en", "it"] = "de"


class OpenedCaseOut(BaseModel):
    id: str
    token: str = Field(description="Opens the case without login; shown once, e.g. as QR code")
    case_url: str
    expires_at: datetime


class MobileIn(BaseModel):
    mobile: str = Field(max_length=32, description="With country code, e.g. +41791234567")


class CodeIn(BaseModel):
    code: str = Field(min_length=6, max_length=6, pattern=r"^\d{6}$")


class GeolocationIn(BaseModel):
    consent: bool
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    accuracy_m: float | None = Field(default=None, ge=0)


class DocumentIn(BaseModel):
    type: Literal["identity_card", "passport"]


class UploadIn(BaseModel):
    content_type: Literal["image/jpeg", "image/png"]


FileKindPath = Literal["front", "back", "selfie"]


def _refused(exc: StepRefused) -> Problem:
    if isinstance(exc, CodeRejected):
        return Problem(
            422, "Code rejected", str(exc), code="code-rejected", attempts_left=exc.attempts_left
        )
    return Problem(409, "Step refused", str(exc), code="step-refused")


def _field_problem(field: str, message: str) -> Problem:
    return Problem(
        422,
        "Invalid request",
        f"check these fields: {field}",
        code="validation-error",
        errors=[{"field": field, "message": message, "type": "value_error"}],
    )


@router.post("", status_code=status.HTTP_201_CREATED, summary="Open a case for oneself (VER-1)")
async def open_case(body: OpenCaseRequest, claims: CurrentClaims, desk: DeskDep) -> OpenedCaseOut:
    opened = await desk.open_for_self(claims.sub, body.locale, utcnow())
    return OpenedCaseOut(
        id=opened.case["_id"],
        token=opened.token,
        case_url=opened.case_url,
        expires_at=opened.case["expires_at"],
    )


@router.get("/{case_id}", summary="The case the link opens, with its progress (VER-1)")
async def get_case(case: CaseByToken) -> dict[str, Any]:
    return view(case, utcnow())


@router.put("/{case_id}/mobile", summary="Set the mobile number (VER-2)")
async def set_mobile(body: MobileIn, case: CaseByToken, steps: StepsDep) -> dict[str, Any]:
    try:
        normalize_mobile(body.mobile)
    except StepRefused as exc:
        raise _field_problem("mobile", str(exc)) from exc
    try:
        return view(await steps.set_mobile(case, body.mobile, utcnow()), utcnow())
    except StepRefused as exc:
        raise _refused(exc) from exc


@router.post(
    "/{case_id}/sms-code",
    status_code=status.HTTP_202_ACCEPTED,
    summary="Send a confirmation code by SMS (VER-2)",
)
async def send_code(case: CaseByToken, steps: StepsDep) -> dict[str, Any]:
    try:
        expires_at = await steps.send_code(case, utcnow())
    except StepRefused as exc:
        raise _refused(exc) from exc
    return {"expires_at": expires_at}


@router.post("/{case_id}/sms-code/confirm", summary="Confirm the SMS code (VER-2)")
async def confirm_code(body: CodeIn, case: CaseByToken, steps: StepsDep) -> dict[str, Any]:
    try:
        return view(await steps.confirm_code(case, body.code, utcnow()), utcnow())
    except StepRefused as exc:
        raise _refused(exc) from exc


@router.put("/{case_id}/geolocation", summary="Geolocation consent and position (VER-2)")
async def set_geolocation(
    body: GeolocationIn, case: CaseByToken, steps: StepsDep
) -> dict[str, Any]:
    position = None
    if body.consent:
        if body.latitude is None or body.longitude is None:
            raise _field_problem("latitude", "with consent, latitude and longitude are needed")
        position = Position(body.latitude, body.longitude, body.accuracy_m)
    try:
        return view(await steps.set_geolocation(case, body.consent, position, utcnow()), utcnow())
    except StepRefused as exc:
        raise _refused(exc) from exc


@router.put("/{case_id}/document", summary="Identity card or passport (VER-2)")
async def set_document(body: DocumentIn, case: CaseByToken, steps: StepsDep) -> dict[str, Any]:
    try:
        return view(await steps.set_document_type(case, body.type, utcnow()), utcnow())
    except StepRefused as exc:
        raise _refused(exc) from exc


@router.post(
    "/{case_id}/files/{kind}/upload",
    summary="A presigned POST to upload one photo straight to storage (VER-2)",
)
async def upload_target(
    kind: FileKindPath, body: UploadIn, case: CaseByToken, steps: StepsDep
) -> dict[str, Any]:
    try:
        return await steps.upload_target(case, kind, body.content_type, utcnow())
    except StepRefused as exc:
        raise _refused(exc) from exc


@router.post(
    "/{case_id}/files/{kind}/complete",
    summary="Check the uploaded photo: type, size, dimensions (VER-2)",
)
async def complete_upload(kind: FileKindPath, case: CaseByToken, steps: StepsDep) -> dict[str, Any]:
    try:
        return view(await steps.complete_upload(case, kind, utcnow()), utcnow())
    except StepRefused as exc:
        raise _refused(exc) from exc


@router.post("/{case_id}/submit", summary="Submit the case for review (VER-2)")
async def submit(case: CaseByToken, steps: StepsDep) -> dict[str, Any]:
    try:
        return view(await steps.submit(case, utcnow()), utcnow())
    except StepRefused as exc:
        raise _refused(exc) from exc
