"""FastAPI dependencies: the services from app state, and the member acting on an
organization's billing (checked against billing's projection of memberships)."""

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Header, Request

from konto.billing.service.access import BillingAccess
from konto.billing.service.addresses import AddressesService
from konto.billing.service.balance import BalanceService
from konto.billing.service.cancellation import CancellationService
from konto.billing.service.fraud_hold import FraudHold
from konto.billing.service.invoices import InvoicesService
from konto.billing.service.orders import OrdersService
from konto.billing.service.payments import PaymentsService
from konto.billing.service.products import ProductsService
from konto.billing.service.support import SupportService
from konto.common.jwt import CurrentClaims
from konto.common.state import from_state


@dataclass(frozen=True)
class BillingActor:
    org_id: str
    user_id: str


async def _billing_actor(org: str, request: Request, claims: CurrentClaims) -> BillingActor:
    access: BillingAccess = request.app.state.access
    await access.require(org, claims.sub)
    return BillingActor(org_id=org, user_id=claims.sub)


Actor = Annotated[BillingActor, Depends(_billing_actor)]
ProductsDep = Annotated[ProductsService, from_state("products")]
AddressesDep = Annotated[AddressesService, from_state("addresses")]
BalanceDep = Annotated[BalanceService, from_state("balance")]
PaymentsDep = Annotated[PaymentsService, from_state("payments")]
InvoicesDep = Annotated[InvoicesService, from_state("invoices")]
OrdersDep = Annotated[OrdersService, from_state("orders")]
SupportDep = Annotated[SupportService, from_state("support")]
CancellationDep = Annotated[CancellationService, from_state("cancellation")]
HoldDep = Annotated[FraudHold, from_state("hold")]
IdempotencyKey = Annotated[
    str,
    Header(
        alias="Idempotency-Key",
        min_length=8,
        max_length=200,
        description="A unique value per intended operation; a retry with it changes nothing",
    ),
]
