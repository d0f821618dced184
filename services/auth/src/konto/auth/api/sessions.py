from datetime import datetime
from typing import Any, Literal

from fastapi import APIRouter, Response, status
from pydantic import BaseModel, Field

from konto.auth.api.deps import AccountsDep, ActiveClaims, ClientDep, MfaDep, SessionsDep
from konto.auth.api.docs import BEARER_PROBLEMS, model_example, problem
from konto.auth.service.accounts import LoginAttempt
from konto.auth.service.login_challenges import Challenge, PushPending
from konto.auth.service.mfa_methods import Method
from konto.auth.service.tokens import IssuedTokens

router = APIRouter(prefix="/v1/sessions", tags=["sessions"])

_PROBLEM: dict[str, Any] = {"content": {"application/problem+json": {}}}


class LoginRequest(BaseModel):
    model_config = model_example(
        {"email": "anna@example.ch", "password": "correct horse battery staple"}
    )

    email: str = Field(
        max_length=320,
        examples=["anna@example.ch"],
        description="The login id: an e-mail address, or the username generated when its "
        "mailbox was deleted (AUTH-10)",
    )
    password: str = Field(max_length=1024)
    device_id: str | None = Field(
        default=None,
        max_length=128,
        description="The id this device got at its first login; omit on a new or private one",
    )


class TokensOut(BaseModel):
    model_config = model_example(
        {
            "access_token": "eyJhbGciOiJFZERTQSIsImtpZCI6IjEifQ…",
            "token_type": "Bearer",
            "expires_in": 600,
            "refresh_token": "pQ8v…",
            "session_id": "0190f5c2-8d1e-7c3a-9b2f-4e5d6a7b8c9d",
            "device_id": "b1tG5Jz0c2VxQ2lVbGk",
        }
    )

    access_token: str
    token_type: str = "Bearer"
    expires_in: int
    refresh_token: str
    session_id: str
    device_id: str = Field(description="Keep it and send it at the next login")


class ChallengeOut(BaseModel):
    model_config = model_example(
        {
            "challenge_id": "0190f5c2-8d1e-7c3a-9b2f-4e5d6a7b8c9d",
            "methods": ["totp", "backup_code"],
            "expires_in": 300,
        }
    )

    challenge_id: str
    methods: list[str] = Field(examples=[["totp", "backup_code"]])
    expires_in: int


class MfaAnswer(BaseModel):
    model_config = model_example(
        {"challenge_id": "0190f5c2-8d1e-7c3a-9b2f-4e5d6a7b8c9d", "code": "123456"}
    )

    challenge_id: str = Field(max_length=64)
    code: str | None = Field(
        default=None, max_length=32, examples=["123456"], description="Not for method `push`"
    )
    method: Method | None = Field(
        default=None,
        description="Guessed from the code when omitted (6 digits: the app, a device, SMS; "
        "else a backup code). `push` polls the device's decision (start it at "
        "/v1/sessions/mfa/push)",
    )


class PushPendingOut(BaseModel):
    model_config = model_example({"status": "pending", "expires_in": 240})

    status: Literal["pending"] = "pending"
    expires_in: int = Field(examples=[240], description="Seconds the login may still wait")


class RefreshRequest(BaseModel):
    model_config = model_example({"refresh_token": "pQ8v…the refresh token of the last answer"})

    refresh_token: str = Field(max_length=256)


class SessionOut(BaseModel):
    model_config = model_example(
        {
            "id": "0190f5c2-8d1e-7c3a-9b2f-4e5d6a7b8c9d",
            "device_id": "b1tG5Jz0c2VxQ2lVbGk",
            "ip": "203.0.113.7",
            "user_agent": "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Firefox/140.0",
            "amr": ["pwd"],
            "created_at": "2026-11-21T09:30:00Z",
            "last_used_at": "2026-11-21T09:40:00Z",
            "current": True,
        }
    )

    id: str
    device_id: str
    ip: str
    user_agent: str
    amr: list[str]
    created_at: datetime
    last_used_at: datetime
    current: bool = Field(description="The session of the token making this request")


def tokens_out(issued: IssuedTokens) -> TokensOut:
    return TokensOut(
        access_token=issued.access_token,
        expires_in=issued.expires_in,
        refresh_token=issued.refresh_token,
        session_id=issued.session_id,
        device_id=issued.device_id,
    )


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Log in with a password (AUTH-3, AUTH-5)",
    responses={
        202: {"model": ChallengeOut, "description": "Second factor required (AUTH-9)"},
        401: {**_PROBLEM, "description": "invalid-credentials"},
        403: problem(
            403,
            "login-id-required",
            "Login identifier required",
            "login-id-required (AUTH-10): set a new identifier with `change_token` at "
            "`POST /v1/login-id`",
            change_token="q3Jx…",
            expires_in=900,
            href="/v1/login-id",
        ),
        423: {**_PROBLEM, "description": "account-locked (AUTH-5)"},
        429: {**_PROBLEM, "description": "too-many-attempts, with Retry-After"},
    },
)
async def login(
    body: LoginRequest, client: ClientDep, accounts: AccountsDep, response: Response
) -> TokensOut | ChallengeOut:
    attempt = LoginAttempt(
        email=body.email,
        password=body.password,
        device_id=body.device_id,
        ip=client.ip,
        user_agent=client.user_agent,
    )
    return login_result(await accounts.login(attempt), response)


def login_result(result: IssuedTokens | Challenge, response: Response) -> TokensOut | ChallengeOut:
    """Tokens (201), or 202 with the second-factor challenge."""
    if isinstance(result, Challenge):
        response.status_code = status.HTTP_202_ACCEPTED
        return ChallengeOut(
            challenge_id=result.challenge_id,
            methods=list(result.methods),
            expires_in=result.expires_in,
        )
    return tokens_out(result)


@router.post(
    "/mfa",
    status_code=status.HTTP_201_CREATED,
    summary="Answer a login's second-factor challenge (AUTH-9)",
    responses={
        202: {"model": PushPendingOut, "description": "method push: the device has not answered"},
        401: {**_PROBLEM, "description": "invalid-code, challenge-invalid or login-denied"},
        409: {**_PROBLEM, "description": "method push before asking the device"},
        423: {**_PROBLEM, "description": "account-locked (AUTH-5)"},
        429: {**_PROBLEM, "description": "too-many-attempts, with Retry-After"},
    },
)
async def answer_challenge(
    body: MfaAnswer, client: ClientDep, mfa: MfaDep, response: Response
) -> TokensOut | PushPendingOut:
    issued = await mfa.login.complete(body.challenge_id, body.code, body.method, client)
    if isinstance(issued, PushPending):
        response.status_code = status.HTTP_202_ACCEPTED
        return PushPendingOut(expires_in=issued.expires_in)
    return tokens_out(issued)


@router.post(
    "/refresh",
    summary="Trade a refresh token for new tokens; the old one stops working (AUTH-3)",
    responses={401: {**_PROBLEM, "description": "invalid-refresh-token"}},
)
async def refresh(body: RefreshRequest, client: ClientDep, sessions: SessionsDep) -> TokensOut:
    return tokens_out(await sessions.refresh(body.refresh_token, client))


@router.get("", summary="My active sessions (AUTH-3)", responses=BEARER_PROBLEMS)
async def list_sessions(claims: ActiveClaims, sessions: SessionsDep) -> list[SessionOut]:
    views = await sessions.list_of(claims.sub, claims.sid)
    return [SessionOut(**view.__dict__) for view in views]


@router.delete(
    "/{session_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Revoke one of my sessions; the current one (or `current`) logs out (AUTH-3)",
    responses={404: {**_PROBLEM, "description": "no such session of yours"}},
)
async def revoke_session(session_id: str, claims: ActiveClaims, sessions: SessionsDep) -> None:
    target = claims.sid if session_id == "current" else session_id
    await sessions.revoke(claims.sub, target, claims.sid)
