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
    open_proformas: int = Field(
        default=0, description="Pro-forma invoices awaiting a bank transfer (BIL-4)"
    )


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
    """BIL-7: confirmed; the product works until `ends_on` and nothing is deleted before. On
    that date `product.ended` follows, and its owners delete the product's backups for good."""

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


class ProductEnded(EventData):
    """BIL-7: a cancelled product reached the end of its paid period and is retired (status
    `ended`, never renewed again). Its owners (the organization's services) stop it and
    delete its backups for good now."""

    org_id: str
    product_id: str
    product_type: str
    label: str
    ended_on: date = Field(description="The end of the paid period the cancellation named")
    confirmed_by: str = Field(description="User id of the member who confirmed the cancellation")


class ProductEndedV1(Event):
    topic: ClassVar[str] = BILLING_EVENTS
    type: Literal["konto.billing.product.ended.v1"] = "konto.billing.product.ended.v1"
    source: str = "konto/billing"
    data: ProductEnded


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


class ProformaIssued(EventData):
    """BIL-4: a selection or an order to be paid by bank transfer; nothing is renewed or
    delivered before the transfer arrives. notify mails the payer how to pay."""

    proforma_id: str
    org_id: str
    number: str = Field(description="Own series, e.g. PF-2026-000001; not an invoice number")
    total: Amount
    reference: str = Field(description="QR reference (CHF) or ISO 11649 RF reference (EUR)")
    iban: str = Field(description="The account to pay to (a QR-IBAN for CHF)")
    creditor: str = Field(description="The account holder's name")
    issued_by: str = Field(description="User id of the member who chose bank transfer")


class ProformaIssuedV1(Event):
    topic: ClassVar[str] = BILLING_EVENTS
    type: Literal["konto.billing.proforma.issued.v1"] = "konto.billing.proforma.issued.v1"
    source: str = "konto/billing"
    data: ProformaIssued


class ProformaLapsed(EventData):
    """BIL-4: a pro-forma was not paid within the payment period; it is void, its order (if
    any) cancelled with its promo-code use and free grants given back. A transfer arriving
    later is left to support. notify mails the member who chose bank transfer."""

    proforma_id: str
    org_id: str
    number: str
    total: Amount
    order_id: str | None = Field(default=None, description="The order cancelled with it")
    issued_by: str = Field(description="User id of the member who chose bank transfer")
    issued_at: datetime
    payment_days: int = Field(description="The payment period it was given, in days")


class ProformaLapsedV1(Event):
    topic: ClassVar[str] = BILLING_EVENTS
    type: Literal["konto.billing.proforma.lapsed.v1"] = "konto.billing.proforma.lapsed.v1"
    source: str = "konto/billing"
    data: ProformaLapsed


class ProformaCancelled(EventData):
    """BIL-4: a member withdrew an unpaid pro-forma (or the order awaiting it) before paying;
    the same effects as a lapse, at once."""

    proforma_id: str
    org_id: str
    number: str
    total: Amount
    order_id: str | None = Field(default=None, description="The order cancelled with it")
    issued_by: str
    cancelled_by: str = Field(description="User id of the member who cancelled")


class ProformaCancelledV1(Event):
    topic: ClassVar[str] = BILLING_EVENTS
    type: Literal["konto.billing.proforma.cancelled.v1"] = "konto.billing.proforma.cancelled.v1"
    source: str = "konto/billing"
    data: ProformaCancelled


BillingEventTypes = (
    AccountStateChangedV1
    | InvoiceIssuedV1
    | CancellationRequestedV1
    | ProductCancelledV1
    | ProductEndedV1
    | CancellationNoticeV1
    | OrderBlockedV1
    | OrderCancelledV1
    | ProformaIssuedV1
    | ProformaLapsedV1
    | ProformaCancelledV1
)
