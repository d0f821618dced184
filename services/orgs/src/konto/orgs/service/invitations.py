"""Use cases of ORG-4: invite by e-mail, list, revoke, resend (a new token); accepting is in
`acceptance.py`.

The token is never stored nor answered in clear: it goes into the invitation event for notify
to mail, and orgs keeps its hash. The address need not match the accepting account, as the
link was mailed to the invited person, but an invitation works once and expires.
"""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from konto.common.errors import Problem
from konto.common.events import utcnow, uuid7
from konto.common.outbox import Outbox, UnitOfWork
from konto.orgs.domain.invitations import (
    InvalidEmail,
    Status,
    accept_url,
    hash_token,
    new_token,
    normalize_email,
    status_of,
)
from konto.orgs.domain.roles import Action, Role, check_invite, normalize_access
from konto.orgs.events.published import invitation_closed, invitation_issued
from konto.orgs.service.common import Actor, Stores, audit, authorize, enforced
from konto.orgs.store.memberships import access_fields


@dataclass(frozen=True)
class InvitationRequest:
    email: str
    role: Role
    products: list[str]
    billing: bool
    # The invitee's language for notify's mail; orgs does not know it, so None = notify's default.
    locale: str | None = None


def _not_found() -> Problem:
    return Problem(404, "Not found", "no such invitation", code="invitation-not-found")


def _public(invitation: dict[str, Any]) -> dict[str, Any]:
    """What may leave the service: never the token hash."""
    out = {k: v for k, v in invitation.items() if k != "token_hash"}
    out["status"] = status_of(invitation["status"], invitation["expires_at"], utcnow()).value
    return out


class InvitationsService:
    def __init__(self, stores: Stores, outbox: Outbox, *, ttl: timedelta, console_url: str) -> None:
        self.stores = stores
        self.outbox = outbox
        self.ttl = ttl
        self.console_url = console_url

    async def invite(self, actor: Actor, org_id: str, request: InvitationRequest) -> dict[str, Any]:
        org, mine = await authorize(self.stores, org_id, actor, Action.INVITE)
        with enforced():
            check_invite(Role(mine["role"]), request.role)
        try:
            email = normalize_email(request.email)
        except InvalidEmail as exc:
            raise Problem(
                422,
                "Invalid request",
                "check these fields: email",
                code="validation-error",
                errors=[{"field": "email", "message": str(exc), "type": "value_error"}],
            ) from exc
        known = await self.stores.people.by_email(email)
        if known and await self.stores.memberships.get(org_id, known["_id"]):
            raise Problem(
                409, "Already a member", "this address belongs to a member", code="already-member"
            )
        access = normalize_access(request.role, request.products, request.billing)
        now = utcnow()
        token = new_token()
        invitation = {
            "_id": str(uuid7()),
            "org_id": org_id,
            "email": email,
            **access_fields(access),
            "status": Status.PENDING.value,
            "token_hash": hash_token(token),
            "invited_by": actor.user_id,
            "locale": request.locale,
            "created_at": now,
            "expires_at": now + self.ttl,
        }
        async with self.outbox.unit_of_work() as uow:
            await self.stores.invitations.insert(invitation, uow.session)
            await audit(
                self.stores,
                uow,
                org_id=org_id,
                actor=actor,
                action="invitation.created",
                target={"type": "invitation", "id": invitation["_id"]},
                after={"email": email, **access_fields(access)},
            )
            await self._announce(uow, invitation, org, token, resent=False)
        return _public(invitation)

    async def _announce(
        self,
        uow: UnitOfWork,
        invitation: dict[str, Any],
        org: dict[str, Any],
        token: str,
        *,
        resent: bool,
    ) -> None:
        inviter = await self.stores.people.get(invitation["invited_by"], uow.session)
        known = await self.stores.people.by_email(invitation["email"], uow.session)
        uow.emit(
            invitation_issued(
                invitation,
                org,
                url=accept_url(self.console_url, token),
                inviter_name=inviter["name"] if inviter else None,
                existing_user_id=known["_id"] if known else None,
                expires_at=invitation["expires_at"],
                resent=resent,
            )
        )

    async def of_org(self, actor: Actor, org_id: str) -> list[dict[str, Any]]:
        await authorize(self.stores, org_id, actor, Action.INVITE)
        return [_public(i) for i in await self.stores.invitations.of_org(org_id)]

    async def revoke(self, actor: Actor, org_id: str, invitation_id: str) -> None:
        await authorize(self.stores, org_id, actor, Action.INVITE)
        async with self.outbox.unit_of_work() as uow:
            closed = await self.stores.invitations.close_pending(
                invitation_id,
                Status.REVOKED,
                {"revoked_at": utcnow(), "revoked_by": actor.user_id},
                uow.session,
            )
            if closed is None or closed["org_id"] != org_id:
                raise await self._not_pending(org_id, invitation_id)
            await audit(
                self.stores,
                uow,
                org_id=org_id,
                actor=actor,
                action="invitation.revoked",
                target={"type": "invitation", "id": invitation_id},
                before={"status": Status.PENDING.value},
                after={"status": Status.REVOKED.value},
            )
            uow.emit(invitation_closed(closed, actor.user_id, accepted=False))

    async def resend(self, actor: Actor, org_id: str, invitation_id: str) -> dict[str, Any]:
        org, _ = await authorize(self.stores, org_id, actor, Action.INVITE)
        existing = await self.stores.invitations.get(org_id, invitation_id)
        if existing is None:
            raise _not_found()
        token = new_token()
        now = utcnow()
        async with self.outbox.unit_of_work() as uow:
            renewed = await self.stores.invitations.renew_token(
                invitation_id, hash_token(token), now + self.ttl, now, uow.session
            )
            if renewed is None:
                raise await self._not_pending(org_id, invitation_id)
            await audit(
                self.stores,
                uow,
                org_id=org_id,
                actor=actor,
                action="invitation.resent",
                target={"type": "invitation", "id": invitation_id},
                before={"expires_at": existing["expires_at"]},
                after={"expires_at": renewed["expires_at"]},
            )
            await self._announce(uow, renewed, org, token, resent=True)
        return _public(renewed)

    async def _not_pending(self, org_id: str, invitation_id: str) -> Problem:
        if await self.stores.invitations.get(org_id, invitation_id) is None:
            return _not_found()
        return Problem(
            409,
            "Invitation closed",
            "the invitation was accepted or revoked",
            code="invitation-closed",
        )
