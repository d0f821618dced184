"""auth's process: HTTP API and the outbox publisher of `konto.auth.events`."""

from konto.auth.api import sessions as sessions_api
from konto.auth.api import users as users_api
from konto.auth.api import well_known
from konto.auth.config import AuthSettings
from konto.auth.domain.passwords import Argon2Params, Passwords
from konto.auth.events import published
from konto.auth.service.accounts import Accounts
from konto.auth.store.locations import KnownLocations
from konto.auth.store.sessions import Sessions
from konto.auth.store.signing_keys import SigningKeys
from konto.auth.store.users import Users
from konto.common.crypto import SecretBox
from konto.common.service import Runtime

settings = AuthSettings()
runtime = Runtime("auth", settings)
db = runtime.mongo.db

users = Users(db)
sessions = Sessions(db)
locations = KnownLocations(db)
keys = SigningKeys(db, SecretBox.from_base64(settings.encryption_key.get_secret_value()))
for hook in (users.ensure_indexes, sessions.ensure_indexes, locations.ensure_indexes):
    runtime.on_startup(hook)
runtime.on_startup(keys.ensure_active)
published.declare(runtime)

app = runtime.create_app(
    title="Konto auth",
    description="Identities, sessions and second factors.",
    routers=[users_api.router, sessions_api.router, well_known.router],
)
app.state.keys = keys
app.state.accounts = Accounts(
    settings=settings,
    outbox=runtime.outbox,
    users=users,
    sessions=sessions,
    locations=locations,
    keys=keys,
    passwords=Passwords(
        Argon2Params(
            memory_kib=settings.argon2_memory_kib,
            time_cost=settings.argon2_time_cost,
            parallelism=settings.argon2_parallelism,
        )
    ),
)
