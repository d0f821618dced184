from datetime import datetime
from typing import Any, Literal

from fastapi import APIRouter, status
from pydantic import BaseModel, Field

from konto.auth.api.deps import AccountsDep
from konto.auth.api.docs import model_example
from konto.auth.domain.passwords import MAX_LENGTH
from konto.auth.service.accounts import Registration

router = APIRouter(prefix="/v1/users", tags=["users"])


class RegisterRequest(BaseModel):
    model_config = model_example(
        {
            "email": "anna@example.ch",
            "password": "correct horse battery staple",
            "name": "Anna Muster",
            "mobile": "+41791234567",
            "locale": "de",
        }
    )

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


USER_EXAMPLE: dict[str, Any] = {
    "id": "0190f5c2-8d1e-7c3a-9b2f-4e5d6a7b8c9d",
    "email": "anna@example.ch",
    "name": "Anna Muster",
    "mobile": "+41791234567",
    "locale": "de",
    "created_at": "2026-11-21T09:30:00Z",
}


class UserOut(BaseModel):
    model_config = model_example(USER_EXAMPLE)

    id: str
    email: str
    name: str
    mobile: str
    locale: str
    created_at: datetime


@router.post("", status_code=status.HTTP_201_CREATED, summary="Register (AUTH-1)")
async def register(body: RegisterRequest, accounts: AccountsDep) -> UserOut:
    user = await accounts.register(Registration(**body.model_dump()))
    return UserOut(id=user["_id"], **{k: user[k] for k in UserOut.model_fields if k != "id"})
