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


@dataclass(frozen=True)
class BillingActor:
    org_id: str
    user_id: str


async def _billing_actor(org: str, request: Request, claims: CurrentClaims) -> BillingActor:
    access: BillingAccess = request.app.state.access
    await access.require(org, claims.sub)
    return BillingActor(org_id=org, user_id=claims.sub)


def _products(request: Request) -> ProductsService:
    service: ProductsService = request.app.state.products
    return service


def _addresses(request: Request) -> AddressesService:
    service: AddressesService = request.app.state.addresses
    return service


def _balance(request: Request) -> BalanceService:
    service: BalanceService = request.app.state.balance
    return service


def _payments(request: Request) -> PaymentsService:
    service: PaymentsService = request.app.state.payments
    return service


def _invoices(request: Request) -> InvoicesService:
    service: InvoicesService = request.app.state.invoices
    return service


def _orders(request: Request) -> OrdersService:
    service: OrdersService = request.app.state.orders
    return service


def _support(request: Request) -> SupportService:
    service: SupportService = request.app.state.support
    return service


def _cancellation(request: Request) -> CancellationService:
    service: CancellationService = request.app.state.cancellation
    return service


def _hold(request: Request) -> FraudHold:
    service: FraudHold = request.app.state.hold
    return service


Actor = Annotated[BillingActor, Depends(_billing_actor)]
ProductsDep = Annotated[ProductsService, Depends(_products)]
AddressesDep = Annotated[AddressesService, Depends(_addresses)]
BalanceDep = Annotated[BalanceService, Depends(_balance)]
PaymentsDep = Annotated[PaymentsService, Depends(_payments)]
InvoicesDep = Annotated[InvoicesService, Depends(_invoices)]
OrdersDep = Annotated[OrdersService, Depends(_orders)]
SupportDep = Annotated[SupportService, Depends(_support)]
CancellationDep = Annotated[CancellationService, Depends(_cancellation)]
HoldDep = Annotated[FraudHold, Depends(_hold)]
IdempotencyKey = Annotated[
    str,
    Header(
        alias="Idempotency-Key",
        min_length=8,
        max_length=200,
        description="A unique value per intended operation; a retry with it changes nothing",
    ),
]
