"""auth's object graph, built once by app.py: the stores over its database, then the services
over them. The endpoints reach the services through `AuthServices` (api/deps.py)."""

from dataclasses import dataclass

from konto.auth.config import AuthSettings
from konto.auth.domain.passwords import Argon2Params, Passwords
from konto.auth.service.accounts import Accounts
from konto.auth.service.devices import DeviceService
from konto.auth.service.login_guard import LoginGuard
from konto.auth.service.login_ids import LoginIdService
from konto.auth.service.login_recovery import LoginRecovery
from konto.auth.service.mfa import MfaService
from konto.auth.service.organizations import MembershipProjection, Organizations
from konto.auth.service.password_change import PasswordChanges
from konto.auth.service.password_resets import PasswordResetService
from konto.auth.service.profile import Profiles
from konto.auth.service.recovery_cases import RecoveryCases
from konto.auth.service.recovery_email import RecoveryEmails
from konto.auth.service.request_limit import RequestLimit
from konto.auth.service.sessions import SessionsService
from konto.auth.service.sms_factor import SmsFactor
from konto.auth.service.tokens import TokenIssuer
from konto.auth.store.devices import Devices
from konto.auth.store.locations import KnownLocations
from konto.auth.store.login_guards import LoginGuards
from konto.auth.store.login_ids import LoginIds
from konto.auth.store.memberships import Memberships
from konto.auth.store.mfa_challenges import MfaChallenges
from konto.auth.store.password_resets import PasswordResets
from konto.auth.store.push_approvals import PushApprovals
from konto.auth.store.request_log import RequestLog
from konto.auth.store.second_factors import SecondFactors
from konto.auth.store.sessions import Sessions
from konto.auth.store.signing_keys import SigningKeys
from konto.auth.store.sms_codes import SmsCodes
from konto.auth.store.users import Users
from konto.common.crypto import SecretBox
from konto.common.service import Runtime


@dataclass(frozen=True)
class AuthServices:
    keys: SigningKeys
    accounts: Accounts
    sessions: SessionsService
    mfa: MfaService
    profiles: Profiles
    organizations: Organizations
    memberships: MembershipProjection
    password_changes: PasswordChanges
    password_resets: PasswordResetService
    recovery_cases: RecoveryCases
    recovery_emails: RecoveryEmails
    login_recovery: LoginRecovery
    login_ids: LoginIdService


def build_services(settings: AuthSettings, runtime: Runtime) -> AuthServices:
    """The stores over auth's database (their indexes and the first signing key made at
    startup), then every service once, each given exactly what it uses."""
    db = runtime.mongo.db
    outbox = runtime.outbox
    box = SecretBox.from_base64(settings.encryption_key.get_secret_value())
    command_box = SecretBox.from_base64(settings.command_key.get_secret_value())

    users = Users(db)
    sessions = Sessions(db)
    locations = KnownLocations(db)
    guards = LoginGuards(db)
    challenges = MfaChallenges(db)
    memberships = Memberships(db)
    resets = PasswordResets(db)
    request_log = RequestLog(db)
    devices = Devices(db)
    push_approvals = PushApprovals(db)
    sms_codes = SmsCodes(db)
    login_ids = LoginIds(db)
    keys = SigningKeys(db, box, cache_seconds=settings.signing_key_cache_seconds)
    for store in (
        users,
        sessions,
        locations,
        guards,
        challenges,
        memberships,
        resets,
        request_log,
        devices,
        push_approvals,
        sms_codes,
        login_ids,
    ):
        runtime.on_startup(store.ensure_indexes)
    runtime.on_startup(keys.ensure_active)

    issuer = TokenIssuer(
        settings=settings,
        outbox=outbox,
        sessions=sessions,
        locations=locations,
        keys=keys,
        memberships=memberships,
        users=users,
    )
    guard = LoginGuard(settings=settings, outbox=outbox, guards=guards)
    mfa = MfaService(
        settings=settings,
        outbox=outbox,
        factors=SecondFactors(db),
        challenges=challenges,
        box=box,
        issuer=issuer,
        guard=guard,
        sms=SmsFactor(
            settings=settings, outbox=outbox, codes=sms_codes, users=users, command_box=command_box
        ),
        devices=DeviceService(
            settings=settings,
            devices=devices,
            approvals=push_approvals,
            users=users,
            box=box,
            command_box=command_box,
        ),
    )
    passwords = Passwords(
        Argon2Params(
            memory_kib=settings.argon2_memory_kib,
            time_cost=settings.argon2_time_cost,
            parallelism=settings.argon2_parallelism,
        )
    )
    password_changes = PasswordChanges(
        outbox=outbox, users=users, sessions=sessions, passwords=passwords
    )
    recovery_limit = RequestLimit(
        request_log,
        max_requests=settings.recovery_max_requests,
        window_seconds=settings.recovery_window_seconds,
    )
    password_resets = PasswordResetService(
        settings=settings,
        outbox=outbox,
        users=users,
        resets=resets,
        changes=password_changes,
        limit=recovery_limit,
        command_box=command_box,
    )
    login_id_service = LoginIdService(
        settings=settings,
        outbox=outbox,
        users=users,
        login_ids=login_ids,
        sessions=sessions,
        mfa=mfa,
        issuer=issuer,
    )
    return AuthServices(
        keys=keys,
        accounts=Accounts(
            outbox=outbox,
            users=users,
            guard=guard,
            mfa=mfa,
            issuer=issuer,
            passwords=passwords,
            login_ids=login_id_service,
        ),
        sessions=SessionsService(
            settings=settings, outbox=outbox, sessions=sessions, issuer=issuer
        ),
        mfa=mfa,
        profiles=Profiles(outbox=outbox, users=users),
        organizations=Organizations(
            memberships=memberships,
            users=users,
            sessions=sessions,
            issuer=issuer,
            switch_wait_seconds=settings.switch_org_wait_seconds,
        ),
        memberships=MembershipProjection(memberships),
        password_changes=password_changes,
        password_resets=password_resets,
        recovery_cases=RecoveryCases(
            outbox=outbox,
            users=users,
            guards=guards,
            mfa=mfa,
            resets=password_resets,
            limit=recovery_limit,
        ),
        recovery_emails=RecoveryEmails(settings=settings, outbox=outbox, users=users),
        login_recovery=LoginRecovery(outbox=outbox, users=users, limit=recovery_limit),
        login_ids=login_id_service,
    )
