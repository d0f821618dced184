"""ORG-4: joining through an invitation, by following the link as a logged-in user or by
registering with it (auth's `user.registered` carries the token's hash). Either way the
invitation closes once, and the same person following the link again gets the same answer."""

from datetime import datetime
from typing import Any

from konto.common.errors import Problem
from konto.common.events import utcnow
from konto.common.outbox import Outbox, UnitOfWork
from konto.orgs.domain.invitations import Status, hash_token, status_of
from konto.orgs.domain.roles import Role, normalize_access
from konto.orgs.events.published import invitation_closed, membership_added
from konto.orgs.service.common import Actor, Stores, audit, transact
from konto.orgs.store.memberships import AlreadyMember, access_fields, membership_id


def _not_found() -> Problem:
    return Problem(404, "Not found", "no such invitation", code="invitation-not-found")


class AcceptanceService:
    def __init__(self, stores: Stores, outbox: Outbox) -> None:
        self.stores = stores
        self.outbox = outbox

    async def accept(self, actor: Actor, token: str) -> tuple[dict[str, Any], dict[str, Any]]:
        """The invitation's membership for the logged-in user; 404 for an unknown, used or
        revoked token, 410 for an expired one, 409 if the user is already a member."""

        async def work(uow: UnitOfWork) -> tuple[dict[str, Any], dict[str, Any]]:
            now = utcnow()
            invitation = await self.stores.invitations.by_token_hash(hash_token(token), uow.session)
            if invitation is None:
                raise _not_found()
            if _accepted_by(invitation, actor.user_id):
                # The same person again: they joined on registering through this link, or
                # a retried click. Answer as the first time; anyone else gets 404 below.
                already = await self._membership_of(invitation, actor.user_id, uow)
                if already is not None:
                    return already
            if invitation["status"] != Status.PENDING.value:
                raise _not_found()
            if status_of(invitation["status"], invitation["expires_at"], now) is Status.EXPIRED:
                raise Problem(
                    410, "Invitation expired", "ask for a new invitation", code="invitation-expired"
                )
            try:
                joined = await self._join(uow, invitation, actor, now)
            except AlreadyMember as exc:
                raise Problem(
                    409,
                    "Already a member",
                    "you already belong to this organization",
                    code="already-member",
                ) from exc
            if joined is None:
                raise _not_found()  # accepted a moment ago by someone else, or org deleted
            return joined

        return await transact(self.outbox, work)

    async def accept_on_registration(
        self, user_id: str, invitation_ref: str, uow: UnitOfWork
    ) -> bool:
        """Someone registered through an invitation link (ORG-4, AUTH-1): auth passes the
        token's SHA-256 hex, which is our `token_hash`. Joins them when the invitation is still
        pending and unexpired, in the consumer's unit of work; False when nothing matches
        (bogus, revoked, used, expired), and the caller founds the personal organization."""
        now = utcnow()
        invitation = await self.stores.invitations.by_token_hash(invitation_ref, uow.session)
        if invitation is not None and _accepted_by(invitation, user_id):
            return True  # the console accepted the link before this event arrived
        if (
            invitation is None
            or status_of(invitation["status"], invitation["expires_at"], now) is not Status.PENDING
        ):
            return False
        if await self.stores.memberships.get(invitation["org_id"], user_id, uow.session):
            return True  # checked first: a failed insert would abort the whole transaction
        return await self._join(uow, invitation, Actor(user_id, None), now) is not None

    async def _membership_of(
        self, invitation: dict[str, Any], user_id: str, uow: UnitOfWork
    ) -> tuple[dict[str, Any], dict[str, Any]] | None:
        org = await self.stores.organizations.get(invitation["org_id"], uow.session)
        membership = await self.stores.memberships.get(invitation["org_id"], user_id, uow.session)
        if org is None or membership is None or org.get("deleted_at") is not None:
            return None
        return org, membership

    async def _join(
        self, uow: UnitOfWork, invitation: dict[str, Any], actor: Actor, now: datetime
    ) -> tuple[dict[str, Any], dict[str, Any]] | None:
        """Close the pending invitation and make `actor` a member with its access: membership,
        audit rows, invitation.accepted and membership.added. None when the invitation is no
        longer pending or its organization is gone. Raises AlreadyMember."""
        org = await self.stores.organizations.get(invitation["org_id"], uow.session)
        if org is None or org.get("deleted_at") is not None:
            return None
        closed = await self.stores.invitations.close_pending(
            invitation["_id"],
            Status.ACCEPTED,
            {"accepted_at": now, "accepted_by": actor.user_id},
            uow.session,
        )
        if closed is None:
            return None
        access = normalize_access(
            Role(invitation["role"]), invitation["products"], invitation["billing"]
        )
        membership = {
            "_id": membership_id(org["_id"], actor.user_id),
            "org_id": org["_id"],
            "user_id": actor.user_id,
            **access_fields(access),
            "joined_at": now,
            "invitation_id": invitation["_id"],
        }
        await self.stores.memberships.insert(membership, uow.session)
        await self.stores.organizations.touch(org["_id"], now, uow.session)
        await audit(
            self.stores,
            uow,
            org_id=org["_id"],
            actor=actor,
            action="invitation.accepted",
            target={"type": "invitation", "id": invitation["_id"]},
            before={"status": Status.PENDING.value},
            after={"status": Status.ACCEPTED.value},
        )
        await audit(
            self.stores,
            uow,
            org_id=org["_id"],
            actor=actor,
            action="membership.added",
            target={"type": "member", "id": actor.user_id},
            after=access_fields(access),
        )
        uow.emit(invitation_closed(closed, actor.user_id, accepted=True))
        uow.emit(membership_added(org, actor.user_id, access, actor.user_id, invitation["_id"]))
        return org, membership


def _accepted_by(invitation: dict[str, Any], user_id: str) -> bool:
    return (
        invitation["status"] == Status.ACCEPTED.value and invitation.get("accepted_by") == user_id
    )
