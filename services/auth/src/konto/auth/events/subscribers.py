"""auth's Kafka subscriptions: thin, the work happens in the services."""

from konto.auth.service.login_ids import LoginIdService, mailbox_deleted
from konto.auth.service.organizations import MembershipProjection
from konto.auth.service.recovery_cases import RecoveryCases, approved_for_auth
from konto.common.events import MAIL_EVENTS, ORGS_EVENTS, VERIFICATION_EVENTS
from konto.common.service import Runtime


def subscribe(
    runtime: Runtime,
    projection: MembershipProjection,
    recovery: RecoveryCases,
    login_ids: LoginIdService,
) -> None:
    runtime.consumer(
        "orgs-events",
        ORGS_EVENTS,
        handler=projection.on_orgs_event,
        accepts=projection.accepts,
    )
    runtime.consumer(
        "verification-events",
        VERIFICATION_EVENTS,
        handler=recovery.on_verification_event,
        accepts=approved_for_auth,
    )
    # AUTH-10: the mail product's deleted mailboxes, some of them someone's login id.
    runtime.consumer(
        "mail-events", MAIL_EVENTS, handler=login_ids.on_mail_event, accepts=mailbox_deleted
    )
