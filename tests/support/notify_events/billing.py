"""billing's events notify maps: invoices, pro-formas, cancellations, held orders (NOT-1)."""

import uuid
from datetime import timedelta

from konto.common.events import (
    Amount,
    CancellationNotice,
    CancellationNoticeV1,
    CancellationRequested,
    CancellationRequestedV1,
    InvoiceIssued,
    InvoiceIssuedV1,
    OrderBlocked,
    OrderBlockedV1,
    OrderCancelled,
    OrderCancelledV1,
    ProductCancelled,
    ProductCancelledV1,
    ProformaIssued,
    ProformaIssuedV1,
    ProformaLapsed,
    ProformaLapsedV1,
    utcnow,
)
from tests.support.notify_events.people import (
    CONSOLE,
    Expected,
    Who,
)


def billing_events(anna: Who, bruno: Who) -> list[Expected]:
    """An invoice anna paid (to her, the payer); bruno cancels a product (the link and the
    confirmation to him) and anna, another administrator, is told (BIL-5, BIL-7); bruno's
    order is held (to billing's copy of his address, in his language) and later cancelled and
    refunded (BIL-6)."""
    org = f"org-{uuid.uuid4().hex[:12]}"
    product = f"prod-{uuid.uuid4().hex[:8]}"
    ends_on = (utcnow() + timedelta(days=90)).date()
    invoice = InvoiceIssuedV1(
        subject=org,
        data=InvoiceIssued(
            invoice_id=str(uuid.uuid4()),
            org_id=org,
            number="2026-000042",
            total=Amount(minor=12345, currency="CHF"),
            status="paid",
            issued_by=anna.user_id,
        ),
    )
    requested = CancellationRequestedV1(
        subject=org,
        data=CancellationRequested(
            org_id=org,
            product_id=product,
            product_type="hosting.web",
            label="web-muster",
            requested_by=bruno.user_id,
            confirm_url=f"{CONSOLE}/billing/cancellation/tok-{uuid.uuid4().hex}",
            expires_at=utcnow() + timedelta(days=2),
        ),
    )
    cancelled = ProductCancelledV1(
        subject=org,
        data=ProductCancelled(
            org_id=org,
            product_id=product,
            product_type="hosting.web",
            label="web-muster",
            ends_on=ends_on,
            confirmed_by=bruno.user_id,
        ),
    )
    notice = CancellationNoticeV1(
        subject=org,
        data=CancellationNotice(
            org_id=org,
            product_id=product,
            label="web-muster",
            ends_on=ends_on,
            cancelled_by=bruno.user_id,
            recipients=[anna.user_id],
        ),
    )
    order = f"order-{uuid.uuid4().hex[:8]}"
    blocked = OrderBlockedV1(
        subject=org,
        data=OrderBlocked(
            org_id=org,
            order_id=order,
            buyer_id=bruno.user_id,
            buyer_email=bruno.email,
            locale=bruno.locale,  # type: ignore[arg-type]
            total=Amount(minor=99_000, currency="EUR"),
            reasons=["new_org_total"],
            cancel_after=utcnow() + timedelta(days=10),
        ),
    )
    order_cancelled = OrderCancelledV1(
        subject=org,
        data=OrderCancelled(
            org_id=org,
            order_id=order,
            buyer_id=bruno.user_id,
            refunded=Amount(minor=99_000, currency="EUR"),
            reason="verification_rejected",
        ),
    )
    proforma = ProformaIssuedV1(
        subject=org,
        data=ProformaIssued(
            proforma_id=str(uuid.uuid4()),
            org_id=org,
            number="PF-2026-000007",
            total=Amount(minor=12842, currency="CHF"),
            reference="000000000000002026000000070",
            iban="CH4431999123000889012",
            creditor="Konto Hosting AG",
            issued_by=anna.user_id,
        ),
    )
    lapsed = ProformaLapsedV1(
        subject=org,
        data=ProformaLapsed(
            proforma_id=proforma.data.proforma_id,
            org_id=org,
            number="PF-2026-000007",
            total=Amount(minor=12842, currency="CHF"),
            order_id=str(uuid.uuid4()),
            issued_by=anna.user_id,
            issued_at=utcnow() - timedelta(days=31),
            payment_days=30,
        ),
    )
    return [
        Expected(invoice, anna.email, "invoice_issued", anna.locale),
        Expected(proforma, anna.email, "proforma_issued", anna.locale),
        Expected(lapsed, anna.email, "proforma_lapsed", anna.locale),
        Expected(blocked, bruno.email, "order_blocked", bruno.locale),
        Expected(order_cancelled, bruno.email, "order_cancelled", bruno.locale),
        Expected(requested, bruno.email, "cancellation_requested", bruno.locale),
        Expected(cancelled, bruno.email, "product_cancelled", bruno.locale),
        Expected(notice, anna.email, "cancellation_notice", anna.locale),
    ]
