from datetime import datetime
from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel, Field

from konto.auth.api.deps import ActiveClaims, MfaDep, ProfilesDep
from konto.auth.domain.identifiers import InvalidIdentifier
from konto.auth.service.profile import UserNotFound
from konto.common.errors import Problem

router = APIRouter(prefix="/v1/me", tags=["me"])


class MeOut(BaseModel):
    id: str
    email: str
    name: str
    mobile: str
    locale: str
    created_at: datetime
    mfa_enabled: bool


class ProfilePatch(BaseModel):
    name: str | None = Field(default=None, min_length=1, max_length=200, examples=["Anna Muster"])
    mobile: str | None = Field(default=None, max_length=32, examples=["+41791234567"])
    locale: Literal["de", "fr", "en", "it"] | None = None


async def _me(user_id: str, profiles: ProfilesDep, mfa: MfaDep) -> MeOut:
    try:
        user = await profiles.get(user_id)
    except UserNotFound as exc:
        raise Problem(404, "Not found", "no such user", code="user-not-found") from exc
    return MeOut(
        id=user["_id"],
        mfa_enabled=await mfa.is_enabled(user_id),
        **{k: user[k] for k in ("email", "name", "mobile", "locale", "created_at")},
    )


@router.get("", summary="My profile (AUTH-11)")
async def get_me(claims: ActiveClaims, profiles: ProfilesDep, mfa: MfaDep) -> MeOut:
    return await _me(claims.sub, profiles, mfa)


@router.patch(
    "",
    summary="Change my name, mobile or locale (AUTH-11)",
    responses={422: {"content": {"application/problem+json": {}}}},
)
async def patch_me(
    body: ProfilePatch, claims: ActiveClaims, profiles: ProfilesDep, mfa: MfaDep
) -> MeOut:
    try:
        await profiles.update(claims.sub, body.model_dump(exclude_none=True))
    except InvalidIdentifier as exc:
        raise Problem(
            422,
            "Invalid request",
            "check these fields: mobile",
            code="validation-error",
            errors=[{"field": "mobile", "message": str(exc), "type": "value_error"}],
        ) from exc
    return await _me(claims.sub, profiles, mfa)
