"""billing's Kafka subscriptions (thin) and the topics it publishes."""

from konto.billing.service.fraud_hold import FraudHold, concerns_billing_cases
from konto.billing.service.memberships import MembershipProjection, concerns_memberships
from konto.billing.service.users import UserProjection, concerns_users
from konto.common.events import (
    AUTH_EVENTS,
    BILLING_EVENTS,
    ORGS_EVENTS,
    VERIFICATION_COMMANDS,
    VERIFICATION_EVENTS,
    BillingEventTypes,
    OpenCaseV1,
)
from konto.common.service import Runtime


def subscribe(
    runtime: Runtime, projection: MembershipProjection, users: UserProjection, hold: FraudHold
) -> None:
    runtime.consumer(
        "orgs-events",
        ORGS_EVENTS,
        handler=projection.on_orgs_event,
        accepts=concerns_memberships,
    )
    # The login address of buyers, for the unlock mail of a held order (BIL-6).
    runtime.consumer(
        "auth-events", AUTH_EVENTS, handler=users.on_auth_event, accepts=concerns_users
    )
    # Decisions on the cases billing opened for held orders (BIL-6).
    runtime.consumer(
        "verification-events",
        VERIFICATION_EVENTS,
        handler=hold.on_case_decided,
        accepts=concerns_billing_cases,
    )


def declare(runtime: Runtime) -> None:
    runtime.publishes(
        BILLING_EVENTS,
        BillingEventTypes,
        "Per-organization billing state (ORG-7), invoices (BIL-5), held and cancelled orders "
        "(BIL-6), product cancellations (BIL-7)",
    )
    runtime.publishes(
        VERIFICATION_COMMANDS, OpenCaseV1, "Verification cases for held orders (BIL-6)"
    )
