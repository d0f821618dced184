"""FastAPI dependencies: the services from app state and the acting person."""

from typing import Annotated

from fastapi import Depends, Request

from konto.common.jwt import CurrentClaims
from konto.orgs.service.acceptance import AcceptanceService
from konto.orgs.service.audit import AuditService
from konto.orgs.service.common import Actor
from konto.orgs.service.deletion import DeletionService
from konto.orgs.service.invitations import InvitationsService
from konto.orgs.service.logos import LogosService
from konto.orgs.service.members import MembersService
from konto.orgs.service.organizations import OrganizationsService


def _actor(request: Request, claims: CurrentClaims) -> Actor:
    # uvicorn puts a trusted proxy's X-Forwarded-For into request.client (ORG-9 "from where").
    return Actor(user_id=claims.sub, ip=request.client.host if request.client else None)


def _organizations(request: Request) -> OrganizationsService:
    service: OrganizationsService = request.app.state.organizations
    return service


def _members(request: Request) -> MembersService:
    service: MembersService = request.app.state.members
    return service


def _invitations(request: Request) -> InvitationsService:
    service: InvitationsService = request.app.state.invitations
    return service


def _deletion(request: Request) -> DeletionService:
    service: DeletionService = request.app.state.deletion
    return service


def _logos(request: Request) -> LogosService:
    service: LogosService = request.app.state.logos
    return service


def _acceptance(request: Request) -> AcceptanceService:
    service: AcceptanceService = request.app.state.acceptance
    return service


def _audit(request: Request) -> AuditService:
    service: AuditService = request.app.state.audit
    return service


ActorDep = Annotated[Actor, Depends(_actor)]
OrganizationsDep = Annotated[OrganizationsService, Depends(_organizations)]
MembersDep = Annotated[MembersService, Depends(_members)]
InvitationsDep = Annotated[InvitationsService, Depends(_invitations)]
AuditDep = Annotated[AuditService, Depends(_audit)]
DeletionDep = Annotated[DeletionService, Depends(_deletion)]
LogosDep = Annotated[LogosService, Depends(_logos)]
AcceptanceDep = Annotated[AcceptanceService, Depends(_acceptance)]
