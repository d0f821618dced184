"""Events published by the billing service on `konto.billing.events`.

Subject (and Kafka key) is the organization id, so one organization's billing history keeps its
order for every reader, e.g. orgs deciding whether an organization may be deleted (ORG-7).
"""

from datetime import date, datetime
from typing import ClassVar, Literal

from pydantic import Field

from konto.common.events.envelope import Event, EventData
from konto.common.events.topics import BILLING_EVENTS


class Amount(EventData):
    """Money as integer minor units (cents, Rappen) with its currency; never a float."""

    minor: int
    currency: Literal["CHF", "EUR"]


class AccountState(EventData):
    """What ORG-7 needs to know of an organization's billing, whole, after every change."""

    org_id: str
    active_products: int = Field(description="Products not cancelled")
    balance: Amount = Field(description="Prepaid balance (BIL-8); zero when never topped up")
    open_invoices: int = Field(description="Invoices issued and not yet paid")


class AccountStateChangedV1(Event):
    topic: ClassVar[str] = BILLING_EVENTS
    type: Literal["konto.billing.account.state_changed.v1"] = (
        "konto.billing.account.state_changed.v1"
    )
    source: str = "konto/billing"
    data: AccountState


class InvoiceIssued(EventData):
    invoice_id: str
    org_id: str
    number: str = Field(description="Gapless per year, e.g. 2026-000042 (BIL-5)")
    total: Amount
    status: Literal["paid", "open"]
    issued_by: str = Field(description="User id of the member who paid or ordered")


class InvoiceIssuedV1(Event):
    topic: ClassVar[str] = BILLING_EVENTS
    type: Literal["konto.billing.invoice.issued.v1"] = "konto.billing.invoice.issued.v1"
    source: str = "konto/billing"
    data: InvoiceIssued


class CancellationRequested(EventData):
    """BIL-7: notify mails the confirmation link to the member who asked."""

    org_id: str
    product_id: str
    product_type: str
    label: str
    requested_by: str = Field(description="User id of the member who asked; the link goes to them")
    email: str | None = Field(default=None, description="Their login address, if billing knows it")
    # The raw token travels in this event on purpose: notify must put the link in the mail.
    confirm_url: str = Field(description="<console>/billing/cancellation/<token>: the link")
    expires_at: datetime


class CancellationRequestedV1(Event):
    topic: ClassVar[str] = BILLING_EVENTS
    type: Literal["konto.billing.product.cancellation_requested.v1"] = (
        "konto.billing.product.cancellation_requested.v1"
    )
    source: str = "konto/billing"
    data: CancellationRequested


class ProductCancelled(EventData):
    """BIL-7: confirmed; the product ends on `ends_on` (nothing is deleted before). Its owners
    (the organization's services) delete the product's backups for good."""

    org_id: str
    product_id: str
    product_type: str
    label: str
    ends_on: date = Field(description="The end of the paid period; the product works until then")
    confirmed_by: str


class ProductCancelledV1(Event):
    topic: ClassVar[str] = BILLING_EVENTS
    type: Literal["konto.billing.product.cancelled.v1"] = "konto.billing.product.cancelled.v1"
    source: str = "konto/billing"
    data: ProductCancelled


class CancellationNotice(EventData):
    """BIL-7: tells the organization's other administrators of a confirmed cancellation."""

    org_id: str
    product_id: str
    label: str
    ends_on: date
    cancelled_by: str
    recipients: list[str] = Field(description="User ids of the other administrators to tell")
    recipient_emails: list[str] = Field(
        default_factory=list, description="Their login addresses, those billing knows"
    )


class CancellationNoticeV1(Event):
    topic: ClassVar[str] = BILLING_EVENTS
    type: Literal["konto.billing.product.cancellation_notice.v1"] = (
        "konto.billing.product.cancellation_notice.v1"
    )
    source: str = "konto/billing"
    data: CancellationNotice


class OrderBlocked(EventData):
    """BIL-6: a suspicious order is held (paid, no products yet); notify mails the unlock
    procedure (an identity verification) to the buyer's login address. Sent again on request."""

    org_id: str
    order_id: str
    buyer_id: str = Field(description="User id of the member who checked out")
    buyer_email: str | None = Field(description="The buyer's login address, when billing knows it")
    locale: Literal["de", "fr", "en", "it"] = "en"
    total: Amount
    reasons: list[str] = Field(description="The fraud rules the order matched")
    cancel_after: datetime = Field(description="Cancelled and refunded then without unlock")
    resent: bool = Field(default=False, description="True when the buyer asked for the mail again")


class OrderBlockedV1(Event):
    topic: ClassVar[str] = BILLING_EVENTS
    type: Literal["konto.billing.order.blocked.v1"] = "konto.billing.order.blocked.v1"
    source: str = "konto/billing"
    data: OrderBlocked


class OrderCancelled(EventData):
    """BIL-6: a blocked order is cancelled and its payment refunded in full."""

    org_id: str
    order_id: str
    buyer_id: str
    refunded: Amount
    reason: Literal["verification_rejected", "unlock_expired"]


class OrderCancelledV1(Event):
    topic: ClassVar[str] = BILLING_EVENTS
    type: Literal["konto.billing.order.cancelled.v1"] = "konto.billing.order.cancelled.v1"
    source: str = "konto/billing"
    data: OrderCancelled


BillingEventTypes = (
    AccountStateChangedV1
    | InvoiceIssuedV1
    | CancellationRequestedV1
    | ProductCancelledV1
    | CancellationNoticeV1
    | OrderBlockedV1
    | OrderCancelledV1
)
