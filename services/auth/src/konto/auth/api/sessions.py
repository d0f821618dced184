from datetime import datetime
from typing import Any, Literal

from fastapi import APIRouter, Request, Response, status
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from konto.auth.api.deps import AccountsDep, ActiveClaims, ClientDep, MfaDep, SessionsDep
from konto.auth.service.accounts import InvalidCredentials, LoginAttempt
from konto.auth.service.login_guard import AccountLockedError, Throttled
from konto.auth.service.mfa import Challenge, InvalidChallenge, InvalidCode
from konto.auth.service.sessions import InvalidRefreshToken, SessionNotFound
from konto.auth.service.tokens import IssuedTokens
from konto.common.errors import Problem, problem_response

router = APIRouter(prefix="/v1/sessions", tags=["sessions"])

_PROBLEM: dict[str, Any] = {"content": {"application/problem+json": {}}}


class LoginRequest(BaseModel):
    email: str = Field(max_length=320, examples=["anna@example.ch"])
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


class ChallengeOut(BaseModel):
    challenge_id: str
    methods: list[str] = Field(examples=[["totp", "backup_code"]])
    expires_in: int


class MfaAnswer(BaseModel):
    challenge_id: str = Field(max_length=64)
    code: str = Field(max_length=32, examples=["123456"])
    method: Literal["totp", "backup_code"] | None = Field(
        default=None, description="Guessed from the code when omitted (6 digits: TOTP)"
    )


class RefreshRequest(BaseModel):
    refresh_token: str = Field(max_length=256)


class SessionOut(BaseModel):
    id: str
    device_id: str
    ip: str
    user_agent: str
    amr: list[str]
    created_at: datetime
    last_used_at: datetime
    current: bool = Field(description="The session of the token making this request")


def _locked() -> Problem:
    # AUTH-5: the answer offers the way out, an identity verification for the account.
    return Problem(
        423,
        "Account locked",
        "account locked, verify your identity",
        code="account-locked",
        unlock={"method": "POST", "href": "/v1/account-unlocks", "body": {"email": "<login id>"}},
    )


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
    try:
        result = await accounts.login(attempt)
    except InvalidCredentials as exc:
        raise Problem(
            401,
            "Invalid credentials",
            "login identifier or password is wrong",
            code="invalid-credentials",
        ) from exc
    except AccountLockedError as exc:
        raise _locked() from exc
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
        401: {**_PROBLEM, "description": "invalid-code or challenge-invalid"},
        423: {**_PROBLEM, "description": "account-locked (AUTH-5)"},
        429: {**_PROBLEM, "description": "too-many-attempts, with Retry-After"},
    },
)
async def answer_challenge(body: MfaAnswer, client: ClientDep, mfa: MfaDep) -> TokensOut:
    try:
        issued = await mfa.complete_login(body.challenge_id, body.code, body.method, client)
    except InvalidChallenge as exc:
        raise Problem(
            401, "Challenge invalid", "log in with your password again", code="challenge-invalid"
        ) from exc
    except InvalidCode as exc:
        raise Problem(
            401, "Invalid code", "the code is wrong or used", code="invalid-code"
        ) from exc
    except AccountLockedError as exc:
        raise _locked() from exc
    return tokens_out(issued)


@router.post(
    "/refresh",
    summary="Trade a refresh token for new tokens; the old one stops working (AUTH-3)",
    responses={401: {**_PROBLEM, "description": "invalid-refresh-token"}},
)
async def refresh(body: RefreshRequest, client: ClientDep, sessions: SessionsDep) -> TokensOut:
    try:
        issued = await sessions.refresh(body.refresh_token, client)
    except InvalidRefreshToken as exc:
        raise Problem(
            401,
            "Invalid refresh token",
            "the refresh token is unknown, used, revoked or expired; log in again",
            code="invalid-refresh-token",
        ) from exc
    return tokens_out(issued)


@router.get("", summary="My active sessions (AUTH-3)")
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
    try:
        await sessions.revoke(claims.sub, target, claims.sid)
    except SessionNotFound as exc:
        raise Problem(404, "Not found", "no such session", code="session-not-found") from exc


async def on_throttled(request: Request, exc: Exception) -> JSONResponse:
    """429 problem+json with Retry-After (AUTH-5); installed on the app in app.py."""
    assert isinstance(exc, Throttled)
    response = problem_response(
        429,
        "Too many attempts",
        f"too many failed logins; try again in {exc.retry_after} s",
        code="too-many-attempts",
        instance=request.url.path,
        retry_after=exc.retry_after,
    )
    response.headers["Retry-After"] = str(exc.retry_after)
    return response
