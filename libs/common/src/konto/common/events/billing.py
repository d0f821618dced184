"""Events published by the billing service on `konto.billing.events`.

Subject (and Kafka key) is the organization id, so one organization's billing history keeps its
order for every reader, e.g. orgs deciding whether an organization may be deleted (ORG-7).
"""

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


BillingEventTypes = AccountStateChangedV1 | InvoiceIssuedV1
