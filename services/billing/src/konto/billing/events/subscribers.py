"""billing's Kafka subscriptions (thin) and the topic it publishes."""

from konto.billing.service.memberships import MembershipProjection, concerns_memberships
from konto.common.events import BILLING_EVENTS, ORGS_EVENTS, BillingEventTypes
from konto.common.service import Runtime


def subscribe(runtime: Runtime, projection: MembershipProjection) -> None:
    runtime.consumer(
        "orgs-events",
        ORGS_EVENTS,
        handler=projection.on_orgs_event,
        accepts=concerns_memberships,
    )


def declare(runtime: Runtime) -> None:
    runtime.publishes(
        BILLING_EVENTS,
        BillingEventTypes,
        "Per-organization billing state (ORG-7) and issued invoices (BIL-5)",
    )
