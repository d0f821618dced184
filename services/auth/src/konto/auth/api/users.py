from datetime import datetime
from typing import Literal

from fastapi import APIRouter, status
from pydantic import BaseModel, Field

from konto.auth.api.deps import AccountsDep
from konto.auth.domain.identifiers import InvalidIdentifier
from konto.auth.domain.passwords import MAX_LENGTH, WeakPassword
from konto.auth.service.accounts import Registration
from konto.auth.store.users import EmailTaken
from konto.common.errors import Problem

router = APIRouter(prefix="/v1/users", tags=["users"])


class RegisterRequest(BaseModel):
    email: str = Field(max_length=320, description="Login identifier (an e-mail address)")
    password: str = Field(max_length=MAX_LENGTH)
    name: str = Field(min_length=1, max_length=200)
    mobile: str = Field(max_length=32, description="With country code, e.g. +41791234567")
    locale: Literal["de", "fr", "en", "it"] = "de"
    invitation_token: str | None = Field(
        default=None,
        max_length=128,
        pattern=r"^[A-Za-z0-9_-]+$",
        description="The token of the invitation link that brought the person here (ORG-4): "
        "orgs then adds them to that organization instead of founding a personal one",
    )


class UserOut(BaseModel):
    id: str
    email: str
    name: str
    mobile: str
    locale: str
    created_at: datetime


def _field_problem(field: str, message: str) -> Problem:
    return Problem(
        422,
        "Invalid request",
        f"check these fields: {field}",
        code="validation-error",
        errors=[{"field": field, "message": message, "type": "value_error"}],
    )


@router.post("", status_code=status.HTTP_201_CREATED, summary="Register (AUTH-1)")
async def register(body: RegisterRequest, accounts: AccountsDep) -> UserOut:
    try:
        user = await accounts.register(Registration(**body.model_dump()))
    except WeakPassword as exc:
        raise _field_problem("password", str(exc)) from exc
    except InvalidIdentifier as exc:
        field = "email" if "@" in str(exc) or "mail" in str(exc).lower() else "mobile"
        raise _field_problem(field, str(exc)) from exc
    except EmailTaken as exc:
        raise Problem(
            409, "Already registered", "this login identifier is taken", code="email-taken"
        ) from exc
    return UserOut(id=user["_id"], **{k: user[k] for k in UserOut.model_fields if k != "id"})
