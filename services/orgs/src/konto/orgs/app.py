"""orgs' process: HTTP API, the consumer of auth's events and the outbox publisher of
`konto.orgs.events`."""

from datetime import timedelta

from konto.common.s3 import ObjectStore
from konto.common.service import Runtime
from konto.orgs.api import audit as audit_api
from konto.orgs.api import deletion as deletion_api
from konto.orgs.api import invitations as invitations_api
from konto.orgs.api import logos as logos_api
from konto.orgs.api import members as members_api
from konto.orgs.api import organizations as organizations_api
from konto.orgs.config import OrgsSettings
from konto.orgs.events import published, subscribers
from konto.orgs.service.acceptance import AcceptanceService
from konto.orgs.service.audit import AuditService
from konto.orgs.service.common import Stores
from konto.orgs.service.deletion import DeletionService
from konto.orgs.service.invitations import InvitationsService
from konto.orgs.service.logos import LogosService
from konto.orgs.service.members import MembersService
from konto.orgs.service.organizations import OrganizationsService
from konto.orgs.service.registrations import Registrations
from konto.orgs.store.audit import AuditTrail
from konto.orgs.store.billing_accounts import BillingAccounts
from konto.orgs.store.invitations import Invitations
from konto.orgs.store.logos import LogoFiles
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
    billing=BillingAccounts(db),
)
for hook in (
    stores.memberships.ensure_indexes,
    stores.people.ensure_indexes,
    stores.invitations.ensure_indexes,
    stores.audit.ensure_indexes,
):
    runtime.on_startup(hook)
logo_files = LogoFiles(ObjectStore(settings))
runtime.on_startup(logo_files.ensure_bucket)

organizations = OrganizationsService(stores, runtime.outbox)
invitations = InvitationsService(
    stores,
    runtime.outbox,
    ttl=timedelta(hours=settings.invitation_ttl_hours),
    console_url=settings.console_url,
)
deletion = DeletionService(stores, runtime.outbox)
acceptance = AcceptanceService(stores, runtime.outbox)
subscribers.subscribe(runtime, Registrations(stores.people, organizations, acceptance), deletion)
published.declare(runtime)

app = runtime.create_app(
    title="Konto orgs",
    description="Organizations, members, roles and invitations.",
    routers=[
        organizations_api.router,
        members_api.router,
        invitations_api.router,
        audit_api.router,
        deletion_api.router,
        logos_api.router,
    ],
)
app.state.organizations = organizations
app.state.members = MembersService(stores, runtime.outbox)
app.state.invitations = invitations
app.state.acceptance = acceptance
app.state.audit = AuditService(stores)
app.state.deletion = deletion
app.state.logos = LogosService(
    stores, runtime.outbox, logo_files, url_seconds=settings.logo_url_seconds
)
