from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel, Field

from konto.auth.api.deps import ActiveClaims, MfaDep, ProfilesDep
from konto.auth.api.docs import BEARER_PROBLEMS, model_example
from konto.auth.api.users import USER_EXAMPLE, UserOut

router = APIRouter(prefix="/v1/me", tags=["me"])


class MeOut(UserOut):
    model_config = model_example({**USER_EXAMPLE, "mfa_enabled": False})

    mfa_enabled: bool


class ProfilePatch(BaseModel):
    model_config = model_example({"name": "Anna Muster", "mobile": "+41791234567", "locale": "fr"})

    name: str | None = Field(default=None, min_length=1, max_length=200, examples=["Anna Muster"])
    mobile: str | None = Field(default=None, max_length=32, examples=["+41791234567"])
    locale: Literal["de", "fr", "en", "it"] | None = None


async def _me(user_id: str, profiles: ProfilesDep, mfa: MfaDep) -> MeOut:
    user = await profiles.get(user_id)
    return MeOut(
        id=user["_id"],
        mfa_enabled=await mfa.is_enabled(user_id),
        **{k: user[k] for k in ("email", "name", "mobile", "locale", "created_at")},
    )


@router.get("", summary="My profile (AUTH-11)", responses=BEARER_PROBLEMS)
async def get_me(claims: ActiveClaims, profiles: ProfilesDep, mfa: MfaDep) -> MeOut:
    return await _me(claims.sub, profiles, mfa)


@router.patch(
    "",
    summary="Change my name, mobile or locale (AUTH-11)",
    responses={
        **BEARER_PROBLEMS,
        422: {"content": {"application/problem+json": {}}, "description": "validation-error"},
    },
)
async def patch_me(
    body: ProfilePatch, claims: ActiveClaims, profiles: ProfilesDep, mfa: MfaDep
) -> MeOut:
    await profiles.update(claims.sub, body.model_dump(exclude_none=True))
    return await _me(claims.sub, profiles, mfa)
