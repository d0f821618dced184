from fastapi import APIRouter, Request, status
from pydantic import BaseModel, Field

from konto.auth.api.deps import AccountsDep
from konto.auth.service.accounts import InvalidCredentials, LoginAttempt
from konto.common.errors import Problem

router = APIRouter(prefix="/v1/sessions", tags=["sessions"])


class LoginRequest(BaseModel):
    email: str = Field(max_length=320)
    password: str = Field(max_length=1024)
    device_id: str | None = Field(
        default=None,
        max_length=128,
        description="The id this device got at its first login; omit on a new or private one",
    )


class TokensOut(BaseModel):
    access_token: str
    token_type: str = "Bearer"
    expires_in: int
    refresh_token: str
    session_id: str
    device_id: str = Field(description="Keep it and send it at the next login")


@router.post("", status_code=status.HTTP_201_CREATED, summary="Log in with a password (AUTH-3)")
async def login(body: LoginRequest, request: Request, accounts: AccountsDep) -> TokensOut:
    attempt = LoginAttempt(
        email=body.email,
        password=body.password,
        device_id=body.device_id,
        ip=request.client.host if request.client else "unknown",
        user_agent=request.headers.get("user-agent", "")[:512],
    )
    try:
        issued = await accounts.login(attempt)
    except InvalidCredentials as exc:
        raise Problem(
            401,
            "Invalid credentials",
            "login identifier or password is wrong",
            code="invalid-credentials",
        ) from exc
    return TokensOut(
        access_token=issued.access_token,
        expires_in=issued.expires_in,
        refresh_token=issued.refresh_token,
        session_id=issued.session_id,
        device_id=issued.device_id,
    )
