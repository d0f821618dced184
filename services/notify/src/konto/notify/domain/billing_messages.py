"""billing's events a person must hear about (NOT-1, BIL-5, BIL-6, BIL-7).

- An issued invoice goes to the member who paid or ordered (`issued_by`), in their profile's
  language. notify does not know who else holds billing rights in the organization (that is
  orgs' state), and a second projection of memberships here would have to follow every role
  change to stay right; the payer is the person who just acted and whom the invoice concerns
  first. The other billing members find every invoice in the console. A `billing` message:
  preferences may silence it. So is a pro-forma invoice (bank transfer, BIL-4): to the member
  who chose bank transfer, with the account and the payment reference.
- A pro-forma unpaid past its payment period lapses (BIL-4): the member who chose bank transfer
  is told (`billing`) that it is void, its order cancelled, and not to pay it any more. A
  pro-forma a member cancelled is not mailed: they did it themselves.
- A cancellation request's confirmation link goes to the member who asked: always (security),
  as without it nothing can be confirmed.
- The confirmed cancellation is told to the member who confirmed it (`billing`), and to the
  other administrators billing names in the notice event (security: like a change of access,
  a destructive act of one administrator must not go unseen by the others).
- A blocked order (BIL-6) is told to the buyer at their login address (billing's copy, else
  the projection's): always (security), as without the identity verification (whose link comes
  in verification's own mail) the order is cancelled. The fraud rules it matched are not shown.
  Its cancellation and refund follow as a `billing` message.
"""

from collections.abc import Mapping
from datetime import UTC, date, datetime, time
from typing import Any

from konto.common.events import (
    Amount,
    CancellationNoticeV1,
    CancellationRequestedV1,
    InvoiceIssuedV1,
    KontoEvent,
    OrderBlockedV1,
    OrderCancelledV1,
    ProductCancelledV1,
    ProformaIssuedV1,
    ProformaLapsedV1,
)
from konto.notify.domain.messages import Outgoing, Person, email, pick_locale

BillingMessageEvent = (
    InvoiceIssuedV1
    | CancellationRequestedV1
    | ProductCancelledV1
    | CancellationNoticeV1
    | OrderBlockedV1
    | OrderCancelledV1
    | ProformaIssuedV1
    | ProformaLapsedV1
)


def concerns(event: KontoEvent) -> bool:
    return isinstance(event, BillingMessageEvent)


def people_needed(event: KontoEvent) -> set[str]:
    if isinstance(event, InvoiceIssuedV1 | ProformaIssuedV1 | ProformaLapsedV1):
        return {event.data.issued_by}
    if isinstance(event, CancellationRequestedV1):
        return {event.data.requested_by}
    if isinstance(event, ProductCancelledV1):
        return {event.data.confirmed_by}
    if isinstance(event, CancellationNoticeV1):
        return {*event.data.recipients, event.data.cancelled_by}
    if isinstance(event, OrderBlockedV1 | OrderCancelledV1):
        return {event.data.buyer_id}
    return set()


def billing_messages(
    event: KontoEvent, people: Mapping[str, Person], console_url: str
) -> list[Outgoing]:
    if isinstance(event, InvoiceIssuedV1):
        invoice = event.data
        context: dict[str, Any] = {
            "number": invoice.number,
            "total": money(invoice.total),
            "paid": invoice.status == "paid",
            "invoices_url": f"{console_url}/orgs/{invoice.org_id}/invoices",
        }
        return _to(event, people.get(invoice.issued_by), "invoice_issued", context, "billing")
    if isinstance(event, ProformaIssuedV1):
        proforma = event.data
        org_url = f"{console_url}/orgs/{proforma.org_id}"
        context = {
            "number": proforma.number,
            "total": money(proforma.total),
            "iban": proforma.iban,
            "creditor": proforma.creditor,
            "reference": proforma.reference,
            "proforma_url": f"{org_url}/proformas/{proforma.proforma_id}",
        }
        return _to(event, people.get(proforma.issued_by), "proforma_issued", context, "billing")
    if isinstance(event, ProformaLapsedV1):
        lapsed = event.data
        org_url = f"{console_url}/orgs/{lapsed.org_id}"
        context = {
            "number": lapsed.number,
            "total": money(lapsed.total),
            "payment_days": lapsed.payment_days,
            "order": lapsed.order_id is not None,
            "proforma_url": f"{org_url}/proformas/{lapsed.proforma_id}",
        }
        return _to(event, people.get(lapsed.issued_by), "proforma_lapsed", context, "billing")
    if isinstance(event, CancellationRequestedV1):
        asked = event.data
        context = {
            "label": asked.label,
            "confirm_url": asked.confirm_url,
            "expires_at": asked.expires_at,
        }
        return _to(event, people.get(asked.requested_by), "cancellation_requested", context)
    if isinstance(event, ProductCancelledV1):
        done = event.data
        context = {"label": done.label, "ends_on": _day(done.ends_on)}
        return _to(event, people.get(done.confirmed_by), "product_cancelled", context, "billing")
    if isinstance(event, CancellationNoticeV1):
        notice = event.data
        actor = people.get(notice.cancelled_by)
        context = {
            "label": notice.label,
            "ends_on": _day(notice.ends_on),
            "actor_name": actor.name if actor else None,
        }
        return [
            out
            for user_id in dict.fromkeys(notice.recipients)  # once each, in billing's order
            if user_id != notice.cancelled_by
            for out in _to(event, people.get(user_id), "cancellation_notice", context)
        ]
    if isinstance(event, OrderBlockedV1):
        return _order_blocked(event, people.get(event.data.buyer_id), console_url)
    if isinstance(event, OrderCancelledV1):
        cancelled = event.data
        context = {
            "refunded": money(cancelled.refunded),
            "rejected": cancelled.reason == "verification_rejected",
        }
        return _to(event, people.get(cancelled.buyer_id), "order_cancelled", context, "billing")
    return []


def _order_blocked(event: OrderBlockedV1, buyer: Person | None, console_url: str) -> list[Outgoing]:
    data = event.data
    address = data.buyer_email or (buyer.email if buyer else None)
    if address is None:
        return []
    return [
        Outgoing(
            event_id=event.id,
            event_type=event.type,
            recipient=data.buyer_id,
            channel="email",
            template="order_blocked",
            locale=pick_locale(buyer.locale if buyer else data.locale),
            address=address,
            context={
                "name": buyer.name if buyer else None,
                "time": event.time,
                "total": money(data.total),
                "cancel_after": data.cancel_after,
                "resent": data.resent,
                "order_url": f"{console_url}/orgs/{data.org_id}/orders/{data.order_id}",
            },
        )
    ]


def _to(
    event: KontoEvent,
    person: Person | None,
    template: str,
    context: dict[str, Any],
    category: str = "security",
) -> list[Outgoing]:
    """A mail to a member; none while the projection does not know them."""
    return [] if person is None else [email(event, person, template, context, category)]


def _day(day: date) -> datetime:
    """A date as midnight UTC: the context is stored in MongoDB, which has no date type."""
    return datetime.combine(day, time(), tzinfo=UTC)


def money(amount: Amount) -> str:
    """`CHF 1234.50`: integer minor units, never through a float."""
    sign = "-" if amount.minor < 0 else ""
    whole, cents = divmod(abs(amount.minor), 100)
    return f"{amount.currency} {sign}{whole}.{cents:02d}"
