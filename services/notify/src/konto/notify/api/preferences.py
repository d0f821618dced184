"""A person's message preferences (NOT-1): opt out per category; security cannot be."""

from fastapi import APIRouter
from pydantic import BaseModel, Field

from konto.common.errors import Problem
from konto.common.events import utcnow
from konto.common.jwt import CurrentClaims
from konto.notify.api.deps import PreferencesDep
from konto.notify.domain.preferences import CATEGORIES, OPTIONAL_CATEGORIES, validate_opt_outs

router = APIRouter(prefix="/v1/me/preferences", tags=["preferences"])


class PreferencesIn(BaseModel):
    opt_out: list[str] = Field(
        max_length=len(CATEGORIES),
        description=f"Categories not to hear about, of: {', '.join(OPTIONAL_CATEGORIES)}",
    )


class PreferencesOut(BaseModel):
    opt_out: list[str]
    optional_categories: list[str] = list(OPTIONAL_CATEGORIES)
    always_sent: list[str] = ["security"]


@router.get("", summary="My message preferences")
async def get_preferences(claims: CurrentClaims, preferences: PreferencesDep) -> PreferencesOut:
    return PreferencesOut(opt_out=sorted(await preferences.opted_out(claims.sub)))


@router.put("", summary="Replace my opted-out categories (security cannot be switched off)")
async def put_preferences(
    body: PreferencesIn, claims: CurrentClaims, preferences: PreferencesDep
) -> PreferencesOut:
    try:
        opt_out = validate_opt_outs(body.opt_out)
    except ValueError as exc:
        raise Problem(
            422,
            "Invalid request",
            "check these fields: opt_out",
            code="validation-error",
            errors=[{"field": "opt_out", "message": str(exc), "type": "value_error"}],
        ) from exc
    await preferences.set_opted_out(claims.sub, opt_out, utcnow())
    return PreferencesOut(opt_out=opt_out)
