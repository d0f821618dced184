from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request

from konto.auth.service.accounts import Accounts
from konto.auth.service.login_ids import LoginIdService
from konto.auth.service.login_recovery import LoginRecovery
from konto.auth.service.mfa import MfaService
from konto.auth.service.organizations import Organizations, SessionEnded
from konto.auth.service.password_change import PasswordChanges
from konto.auth.service.password_resets import PasswordResetService
from konto.auth.service.profile import Profiles
from konto.auth.service.recovery_cases import RecoveryCases
from konto.auth.service.recovery_email import RecoveryEmails
from konto.auth.service.sessions import SessionsService
from konto.auth.service.tokens import Client
from konto.auth.store.signing_keys import SigningKeys
from konto.auth.wiring import AuthServices
from konto.common.jwt import Claims, CurrentClaims

T = TypeVar("T")


def _service(pick: Callable[[AuthServices], T]) -> Any:
    """A dependency on one of the services app.py built."""

    def dependency(request: Request) -> T:
        services: AuthServices = request.app.state.services
        return pick(services)

    return Depends(dependency)


def _client(request: Request) -> Client:
    return Client(
        ip=request.client.host if request.client else "unknown",
        user_agent=request.headers.get("user-agent", "")[:512],
    )


AccountsDep = Annotated[Accounts, _service(lambda s: s.accounts)]
KeysDep = Annotated[SigningKeys, _service(lambda s: s.keys)]
SessionsDep = Annotated[SessionsService, _service(lambda s: s.sessions)]
MfaDep = Annotated[MfaService, _service(lambda s: s.mfa)]
ProfilesDep = Annotated[Profiles, _service(lambda s: s.profiles)]
ClientDep = Annotated[Client, Depends(_client)]
OrganizationsDep = Annotated[Organizations, _service(lambda s: s.organizations)]
ResetsDep = Annotated[PasswordResetService, _service(lambda s: s.password_resets)]
PasswordChangesDep = Annotated[PasswordChanges, _service(lambda s: s.password_changes)]
RecoveryCasesDep = Annotated[RecoveryCases, _service(lambda s: s.recovery_cases)]
RecoveryEmailsDep = Annotated[RecoveryEmails, _service(lambda s: s.recovery_emails)]
LoginRecoveryDep = Annotated[LoginRecovery, _service(lambda s: s.login_recovery)]
LoginIdsDep = Annotated[LoginIdService, _service(lambda s: s.login_ids)]


async def _active_claims(claims: CurrentClaims, sessions: SessionsDep) -> Claims:
    """Auth's own endpoints also refuse a token whose session was revoked or logged out."""
    if not await sessions.is_active(claims.sid):
        raise SessionEnded
    return claims


ActiveClaims = Annotated[Claims, Depends(_active_claims)]
