"""auth's process: HTTP API and the outbox publisher of `konto.auth.events`."""

from konto.auth.api import devices as devices_api
from konto.auth.api import login_ids as login_ids_api
from konto.auth.api import me as me_api
from konto.auth.api import mfa as mfa_api
from konto.auth.api import organizations as organizations_api
from konto.auth.api import passwords as passwords_api
from konto.auth.api import problems, well_known
from konto.auth.api import recovery as recovery_api
from konto.auth.api import sessions as sessions_api
from konto.auth.api import unlocks as unlocks_api
from konto.auth.api import users as users_api
from konto.auth.config import AuthSettings
from konto.auth.events import published, subscribers
from konto.auth.service.verifier import OwnKeysVerifier
from konto.auth.wiring import build_services
from konto.common.metrics import count_logins
from konto.common.service import Runtime

settings = AuthSettings()
runtime = Runtime("auth", settings)
services = build_services(settings, runtime)
published.declare(runtime)
subscribers.subscribe(runtime, services.memberships, services.recovery_cases, services.login_ids)

app = runtime.create_app(
    title="Konto auth",
    description="Identities, sessions and second factors.",
    routers=[
        users_api.router,
        sessions_api.router,
        login_ids_api.router,
        me_api.router,
        mfa_api.router,
        mfa_api.login_router,
        devices_api.router,
        organizations_api.router,
        passwords_api.router,
        unlocks_api.router,
        recovery_api.router,
        well_known.router,
    ],
)
problems.install(app)
# konto_logins_total by outcome
count_logins(app, "/v1/sessions", "/v1/sessions/mfa", "/v1/login-id")
app.state.jwks = OwnKeysVerifier(services.keys, settings.jwt_issuer)
app.state.services = services
