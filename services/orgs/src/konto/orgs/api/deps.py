"""FastAPI dependencies: the services from app state and the acting person."""

from typing import Annotated

from fastapi import Depends, Request

from konto.common.jwt import CurrentClaims
from konto.common.state import from_state
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


ActorDep = Annotated[Actor, Depends(_actor)]
OrganizationsDep = Annotated[OrganizationsService, from_state("organizations")]
MembersDep = Annotated[MembersService, from_state("members")]
InvitationsDep = Annotated[InvitationsService, from_state("invitations")]
AuditDep = Annotated[AuditService, from_state("audit")]
DeletionDep = Annotated[DeletionService, from_state("deletion")]
LogosDep = Annotated[LogosService, from_state("logos")]
AcceptanceDep = Annotated[AcceptanceService, from_state("acceptance")]
