"""orgs' process: HTTP API, the consumer of auth's events and the outbox publisher of
`konto.orgs.events`."""

from datetime import timedelta

from konto.common.service import Runtime
from konto.orgs.api import audit as audit_api
from konto.orgs.api import invitations as invitations_api
from konto.orgs.api import members as members_api
from konto.orgs.api import organizations as organizations_api
from konto.orgs.config import OrgsSettings
from konto.orgs.events import published, subscribers
from konto.orgs.service.audit import AuditService
from konto.orgs.service.common import Stores
from konto.orgs.service.invitations import InvitationsService
from konto.orgs.service.members import MembersService
from konto.orgs.service.organizations import OrganizationsService
from konto.orgs.service.registrations import Registrations
from konto.orgs.store.audit import AuditTrail
from konto.orgs.store.invitations import Invitations
from konto.orgs.store.memberships import Memberships
from konto.orgs.store.organizations import Organizations
from konto.orgs.store.people import People

settings = OrgsSettings()
runtime = Runtime("orgs", settings)
db = runtime.mongo.db

stores = Stores(
    organizations=Organizations(db),
    memberships=Memberships(db),
    people=People(db),
    invitations=Invitations(db),
    audit=AuditTrail(db),
)
for hook in (
    stores.memberships.ensure_indexes,
    stores.people.ensure_indexes,
    stores.invitations.ensure_indexes,
    stores.audit.ensure_indexes,
):
    runtime.on_startup(hook)

organizations = OrganizationsService(stores, runtime.outbox)
subscribers.subscribe(runtime, Registrations(stores.people, organizations))
published.declare(runtime)

app = runtime.create_app(
    title="Konto orgs",
    description="Organizations, members, roles and invitations.",
    routers=[
        organizations_api.router,
        members_api.router,
        invitations_api.router,
        audit_api.router,
    ],
)
app.state.organizations = organizations
app.state.members = MembersService(stores, runtime.outbox)
app.state.invitations = InvitationsService(
    stores,
    runtime.outbox,
    ttl=timedelta(hours=settings.invitation_ttl_hours),
    console_url=settings.console_url,
)
app.state.audit = AuditService(stores)
