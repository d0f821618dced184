"""auth's process: HTTP API and the outbox publisher of `konto.auth.events`."""

from konto.auth.api import me as me_api
from konto.auth.api import mfa as mfa_api
from konto.auth.api import organizations as organizations_api
from konto.auth.api import passwords as passwords_api
from konto.auth.api import recovery as recovery_api
from konto.auth.api import sessions as sessions_api
from konto.auth.api import unlocks as unlocks_api
from konto.auth.api import users as users_api
from konto.auth.api import well_known
from konto.auth.config import AuthSettings
from konto.auth.domain.passwords import Argon2Params, Passwords
from konto.auth.events import published, subscribers
from konto.auth.service.accounts import Accounts
from konto.auth.service.login_guard import LoginGuard, Throttled
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
from konto.auth.service.tokens import TokenIssuer
from konto.auth.service.verifier import OwnKeysVerifier
from konto.auth.store.locations import KnownLocations
from konto.auth.store.login_guards import LoginGuards
from konto.auth.store.memberships import Memberships
from konto.auth.store.mfa_challenges import MfaChallenges
from konto.auth.store.password_resets import PasswordResets
from konto.auth.store.request_log import RequestLog
from konto.auth.store.second_factors import SecondFactors
from konto.auth.store.sessions import Sessions
from konto.auth.store.signing_keys import SigningKeys
from konto.auth.store.users import Users
from konto.common.crypto import SecretBox
from konto.common.metrics import count_logins
from konto.common.service import Runtime

settings = AuthSettings()
runtime = Runtime("auth", settings)
db = runtime.mongo.db
box = SecretBox.from_base64(settings.encryption_key.get_secret_value())

users = Users(db)
sessions = Sessions(db)
locations = KnownLocations(db)
guards = LoginGuards(db)
challenges = MfaChallenges(db)
memberships = Memberships(db)
resets = PasswordResets(db)
request_log = RequestLog(db)
factors = SecondFactors(db)
keys = SigningKeys(db, box, cache_seconds=settings.signing_key_cache_seconds)
for hook in (
    users.ensure_indexes,
    sessions.ensure_indexes,
    locations.ensure_indexes,
    guards.ensure_indexes,
    challenges.ensure_indexes,
    memberships.ensure_indexes,
    resets.ensure_indexes,
    request_log.ensure_indexes,
):
    runtime.on_startup(hook)
runtime.on_startup(keys.ensure_active)
published.declare(runtime)

app = runtime.create_app(
    title="Konto auth",
    description="Identities, sessions and second factors.",
    routers=[
        users_api.router,
        sessions_api.router,
        me_api.router,
        mfa_api.router,
        organizations_api.router,
        passwords_api.router,
        unlocks_api.router,
        recovery_api.router,
        well_known.router,
    ],
)
app.add_exception_handler(Throttled, sessions_api.on_throttled)
count_logins(app, "/v1/sessions", "/v1/sessions/mfa")  # konto_logins_total by outcome
app.state.jwks = OwnKeysVerifier(keys, settings.jwt_issuer)

issuer = TokenIssuer(
    settings=settings,
    outbox=runtime.outbox,
    sessions=sessions,
    locations=locations,
    keys=keys,
    memberships=memberships,
    users=users,
)
guard = LoginGuard(settings=settings, outbox=runtime.outbox, guards=guards)
mfa = MfaService(
    settings=settings,
    guard=guard,
    outbox=runtime.outbox,
    factors=factors,
    challenges=challenges,
    box=box,
    issuer=issuer,
)
app.state.keys = keys
app.state.mfa = mfa
app.state.sessions = SessionsService(
    settings=settings, outbox=runtime.outbox, sessions=sessions, issuer=issuer
)
app.state.organizations = Organizations(
    memberships=memberships,
    users=users,
    sessions=sessions,
    issuer=issuer,
    switch_wait_seconds=settings.switch_org_wait_seconds,
)
app.state.profiles = Profiles(outbox=runtime.outbox, users=users)
passwords = Passwords(
    Argon2Params(
        memory_kib=settings.argon2_memory_kib,
        time_cost=settings.argon2_time_cost,
        parallelism=settings.argon2_parallelism,
    )
)
password_changes = PasswordChanges(
    outbox=runtime.outbox, users=users, sessions=sessions, passwords=passwords
)
app.state.password_changes = password_changes
recovery_limit = RequestLimit(
    request_log,
    max_requests=settings.recovery_max_requests,
    window_seconds=settings.recovery_window_seconds,
)
password_resets = PasswordResetService(
    settings=settings,
    outbox=runtime.outbox,
    users=users,
    resets=resets,
    changes=password_changes,
    limit=recovery_limit,
    command_box=SecretBox.from_base64(settings.command_key.get_secret_value()),
)
app.state.password_resets = password_resets
recovery_cases = RecoveryCases(
    outbox=runtime.outbox,
    users=users,
    guards=guards,
    factors=factors,
    resets=password_resets,
    limit=recovery_limit,
)
app.state.recovery_cases = recovery_cases
app.state.recovery_emails = RecoveryEmails(settings=settings, outbox=runtime.outbox, users=users)
app.state.login_recovery = LoginRecovery(outbox=runtime.outbox, users=users, limit=recovery_limit)
subscribers.subscribe(runtime, MembershipProjection(memberships), recovery_cases)
app.state.accounts = Accounts(
    outbox=runtime.outbox,
    users=users,
    guard=guard,
    mfa=mfa,
    issuer=issuer,
    passwords=passwords,
)
