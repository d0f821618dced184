"""The per-organization billing state orgs needs for ORG-7, announced whole after a change."""

from konto.billing.service.common import Stores
from konto.common.events import AccountState, AccountStateChangedV1, Amount
from konto.common.outbox import UnitOfWork


async def announce_state(stores: Stores, org_id: str, uow: UnitOfWork) -> None:
    """Read inside the change's transaction, so the event tells the state that committed."""
    session = uow.session
    balance, _ = await stores.ledger.balance(org_id, "CHF", session)
    uow.emit(
        AccountStateChangedV1(
            subject=org_id,
            data=AccountState(
                org_id=org_id,
                active_products=await stores.products.count_active(org_id, session),
                balance=Amount(minor=balance.minor, currency=balance.currency),
                open_invoices=await stores.invoices.count_open(org_id, session),
                open_proformas=await stores.proformas.count_open(org_id, session),
            ),
        )
    )
