"""Every exception of auth's services and their answer as problem+json, in one table that
app.py installs once on the app: the endpoints let them through instead of catching them."""

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from konto.auth.domain.invalid_input import InvalidInput
from konto.auth.service.accounts import InvalidCredentials
from konto.auth.service.devices import ApprovalNotFound, DeviceUnauthorized, InvalidEnrolment
from konto.auth.service.factor_removal import SecondFactorRequired
from konto.auth.service.login_challenges import InvalidChallenge, InvalidLoginCode, LoginDenied
from konto.auth.service.login_guard import AccountLockedError, Throttled
from konto.auth.service.login_ids import InvalidChangeToken, LoginIdRequired
from konto.auth.service.mfa_methods import InvalidCode, MfaConflict
from konto.auth.service.organizations import NotAMember, SessionEnded
from konto.auth.service.password_change import WrongPassword
from konto.auth.service.password_resets import InvalidReset
from konto.auth.service.profile import UserNotFound
from konto.auth.service.recovery_email import InvalidConfirmation
from konto.auth.service.sessions import InvalidRefreshToken, SessionNotFound
from konto.auth.service.sms_factor import NoMobile, TooManyCodes
from konto.auth.store.users import EmailTaken
from konto.common.errors import Problem, problem_response


def _invalid_input(exc: InvalidInput) -> Problem:
    """The shape of FastAPI's own 422 (konto.common.errors) for a rule the model cannot check."""
    return Problem(
        422,
        "Invalid request",
        f"check these fields: {exc.field}",
        code="validation-error",
        errors=[{"field": exc.field, "message": str(exc), "type": "value_error"}],
    )


def _throttled(exc: Throttled) -> Problem:
    return Problem(
        429,
        "Too many attempts",
        f"too many failed logins; try again in {exc.retry_after} s",
        code="too-many-attempts",
        retry_after=exc.retry_after,
    )


def _locked(exc: AccountLockedError) -> Problem:
    # AUTH-5: the answer offers the way out, an identity verification for the account.
    return Problem(
        423,
        "Account locked",
        "account locked, verify your identity",
        code="account-locked",
        unlock={"method": "POST", "href": "/v1/account-unlocks", "body": {"email": "<login id>"}},
    )


def _login_id_required(exc: LoginIdRequired) -> Problem:
    # AUTH-10: the answer carries the way on, the one-time token that sets the new identifier.
    return Problem(
        403,
        "Login identifier required",
        "the login identifier of this account was retired; set a new one to log in",
        code="login-id-required",
        change_token=exc.change_token,
        expires_in=exc.expires_in,
        href="/v1/login-id",
    )


def _second_factor_required(exc: SecondFactorRequired) -> Problem:
    return Problem(
        403,
        "Second factor required",
        "removing a second factor needs a current code of one of your factors (app, SMS, "
        "device or backup code); without any, an identity verification removes them all",
        code="second-factor-required",
        verification={"method": "POST", "href": "/v1/me/mfa/verification"},
    )


def _fixed(status: int, title: str, detail: str, code: str) -> Callable[[Exception], Problem]:
    """An exception whose answer never depends on the exception itself."""
    return lambda exc: Problem(status, title, detail, code=code)


# Looked up along the exception's class hierarchy, the most specific class first; each entry
# takes an exception of its key's class.
PROBLEMS: dict[type[Exception], Callable[[Any], Problem]] = {
    InvalidInput: _invalid_input,
    Throttled: _throttled,
    AccountLockedError: _locked,
    LoginIdRequired: _login_id_required,
    SecondFactorRequired: _second_factor_required,
    MfaConflict: lambda exc: Problem(409, "Conflict", str(exc), code="mfa-conflict"),
    InvalidCredentials: _fixed(
        401, "Invalid credentials", "login identifier or password is wrong", "invalid-credentials"
    ),
    InvalidChallenge: _fixed(
        401, "Challenge invalid", "log in with your password again", "challenge-invalid"
    ),
    InvalidLoginCode: _fixed(401, "Invalid code", "the code is wrong or used", "invalid-code"),
    InvalidCode: _fixed(400, "Invalid code", "the code does not match", "invalid-code"),
    LoginDenied: _fixed(401, "Login denied", "the login was denied on your device", "login-denied"),
    InvalidRefreshToken: _fixed(
        401,
        "Invalid refresh token",
        "the refresh token is unknown, used, revoked or expired; log in again",
        "invalid-refresh-token",
    ),
    SessionNotFound: _fixed(404, "Not found", "no such session", "session-not-found"),
    SessionEnded: _fixed(401, "Unauthorized", "this session has ended", "session-ended"),
    # 404 as for an organization that does not exist: membership is not revealed.
    NotAMember: _fixed(404, "Not found", "no such organization of yours", "org-not-found"),
    UserNotFound: _fixed(404, "Not found", "no such user", "user-not-found"),
    EmailTaken: _fixed(409, "Already registered", "this login identifier is taken", "email-taken"),
    InvalidChangeToken: _fixed(
        400,
        "Invalid change token",
        "the token is unknown, used or expired; log in with your username again",
        "invalid-change-token",
    ),
    WrongPassword: _fixed(403, "Wrong password", "the current password is wrong", "wrong-password"),
    InvalidReset: _fixed(
        400,
        "Invalid reset",
        "the link or code is wrong, used or expired; ask for a new one",
        "invalid-reset",
    ),
    InvalidConfirmation: _fixed(
        400,
        "Invalid confirmation",
        "the link is wrong, replaced, used or expired",
        "invalid-confirmation",
    ),
    NoMobile: _fixed(409, "No mobile number", "add a mobile number first", "no-mobile"),
    TooManyCodes: _fixed(
        429, "Too many codes", "too many codes were sent; wait a while", "too-many-codes"
    ),
    InvalidEnrolment: _fixed(
        400, "Invalid enrolment", "the QR code is unknown, used or expired", "invalid-enrolment"
    ),
    DeviceUnauthorized: _fixed(
        401, "Device unauthorized", "unknown device, stale or bad signature", "device-unauthorized"
    ),
    ApprovalNotFound: _fixed(404, "Not found", "no such pending approval", "approval-not-found"),
}


def problem_for(exc: Exception) -> Problem:
    """The answer of the most specific class of `exc` in the table."""
    return next(PROBLEMS[c] for c in type(exc).__mro__ if c in PROBLEMS)(exc)


async def _answer(request: Request, exc: Exception) -> JSONResponse:
    problem = problem_for(exc)
    response = problem_response(
        problem.status,
        problem.title,
        problem.detail,
        code=problem.code,
        instance=request.url.path,
        **problem.extra,
    )
    if "retry_after" in problem.extra:
        response.headers["Retry-After"] = str(problem.extra["retry_after"])
    return response


def install(app: FastAPI) -> None:
    for exc_type in PROBLEMS:
        app.add_exception_handler(exc_type, _answer)
