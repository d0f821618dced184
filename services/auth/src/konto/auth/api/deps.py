from typing import Annotated

from fastapi import Depends, Request

from konto.auth.service.accounts import Accounts
from konto.auth.service.login_recovery import LoginRecovery
from konto.auth.service.mfa import MfaService
from konto.auth.service.organizations import Organizations
from konto.auth.service.password_change import PasswordChanges
from konto.auth.service.password_resets import PasswordResetService
from konto.auth.service.profile import Profiles
from konto.auth.service.recovery_cases import RecoveryCases
from konto.auth.service.recovery_email import RecoveryEmails
from konto.auth.service.sessions import SessionsService
from konto.auth.service.tokens import Client
from konto.auth.store.signing_keys import SigningKeys
from konto.common.errors import Problem
from konto.common.jwt import Claims, CurrentClaims


def _accounts(request: Request) -> Accounts:
    accounts: Accounts = request.app.state.accounts
    return accounts


def _keys(request: Request) -> SigningKeys:
    keys: SigningKeys = request.app.state.keys
    return keys


def _sessions(request: Request) -> SessionsService:
    sessions: SessionsService = request.app.state.sessions
    return sessions


def _mfa(request: Request) -> MfaService:
    mfa: MfaService = request.app.state.mfa
    return mfa


def _profiles(request: Request) -> Profiles:
    profiles: Profiles = request.app.state.profiles
    return profiles


def _organizations(request: Request) -> Organizations:
    organizations: Organizations = request.app.state.organizations
    return organizations


def _resets(request: Request) -> PasswordResetService:
    resets: PasswordResetService = request.app.state.password_resets
    return resets


def _password_changes(request: Request) -> PasswordChanges:
    changes: PasswordChanges = request.app.state.password_changes
    return changes


def _recovery_cases(request: Request) -> RecoveryCases:
    cases: RecoveryCases = request.app.state.recovery_cases
    return cases


def _recovery_emails(request: Request) -> RecoveryEmails:
    emails: RecoveryEmails = request.app.state.recovery_emails
    return emails


def _login_recovery(request: Request) -> LoginRecovery:
    recovery: LoginRecovery = request.app.state.login_recovery
    return recovery


def _client(request: Request) -> Client:
    return Client(
        ip=request.client.host if request.client else "unknown",
        user_agent=request.headers.get("user-agent", "")[:512],
    )


AccountsDep = Annotated[Accounts, Depends(_accounts)]
KeysDep = Annotated[SigningKeys, Depends(_keys)]
SessionsDep = Annotated[SessionsService, Depends(_sessions)]
MfaDep = Annotated[MfaService, Depends(_mfa)]
ProfilesDep = Annotated[Profiles, Depends(_profiles)]
ClientDep = Annotated[Client, Depends(_client)]
OrganizationsDep = Annotated[Organizations, Depends(_organizations)]
ResetsDep = Annotated[PasswordResetService, Depends(_resets)]
PasswordChangesDep = Annotated[PasswordChanges, Depends(_password_changes)]
RecoveryCasesDep = Annotated[RecoveryCases, Depends(_recovery_cases)]
RecoveryEmailsDep = Annotated[RecoveryEmails, Depends(_recovery_emails)]
LoginRecoveryDep = Annotated[LoginRecovery, Depends(_login_recovery)]


async def _active_claims(claims: CurrentClaims, sessions: SessionsDep) -> Claims:
    """Auth's own endpoints also refuse a token whose session was revoked or logged out."""
    if not await sessions.is_active(claims.sid):
        raise Problem(401, "Unauthorized", "this session has ended", code="session-ended")
    return claims


ActiveClaims = Annotated[Claims, Depends(_active_claims)]
