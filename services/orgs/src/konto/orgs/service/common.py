"""What every orgs use case shares: the stores, the acting person, membership checks that
never reveal another organization (X-4), and the audit row written with each change (ORG-9)."""

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from pymongo.errors import PyMongoError

from konto.common.errors import Problem
from konto.common.events import utcnow, uuid7
from konto.common.outbox import Outbox, UnitOfWork
from konto.orgs.domain.roles import Action, LastLegalRepresentative, NotAllowed, Role, require
from konto.orgs.store.audit import AuditTrail
from konto.orgs.store.billing_accounts import BillingAccounts
from konto.orgs.store.invitations import Invitations
from konto.orgs.store.memberships import Memberships
from konto.orgs.store.organizations import Organizations
from konto.orgs.store.people import People

T = TypeVar("T")
log = logging.getLogger(__name__)

# A write conflict aborts one of two concurrent transactions; redoing it from the start reads
# the winner's state, so the rules are checked again against it. A few attempts suffice.
MAX_ATTEMPTS = 5
WRITE_CONFLICT = 112


@dataclass(frozen=True)
class Stores:
    organizations: Organizations
    memberships: Memberships
    people: People
    invitations: Invitations
    audit: AuditTrail
    billing: BillingAccounts


@dataclass(frozen=True)
class Actor:
    """The person behind a request (`claims.sub`) and where the request came from."""

    user_id: str
    ip: str | None


def org_not_found() -> Problem:
    # The same answer for "does not exist" and "not yours": existence is not revealed.
    return Problem(404, "Not found", "no such organization", code="org-not-found")


@contextmanager
def enforced() -> Iterator[None]:
    """Turn the domain's refusals into problem answers."""
    try:
        yield
    except NotAllowed as exc:
        raise Problem(403, "Forbidden", str(exc), code="forbidden") from exc
    except LastLegalRepresentative as exc:
        raise Problem(
            409, "Last legal representative", str(exc), code="last-legal-representative"
        ) from exc


def is_transient(exc: PyMongoError) -> bool:
    """A conflict with a concurrent transaction: safe to run the whole unit of work again."""
    code = getattr(exc, "code", None)
    return exc.has_error_label("TransientTransactionError") or code == WRITE_CONFLICT


async def transact(outbox: Outbox, work: Callable[[UnitOfWork], Awaitable[T]]) -> T:
    """Run `work` in one unit of work, again from the start when a concurrent transaction
    conflicted with it; after `MAX_ATTEMPTS` answer 409 instead of a 500."""
    for attempt in range(1, MAX_ATTEMPTS + 1):
        try:
            async with outbox.unit_of_work() as uow:
                result = await work(uow)
            return result
        except PyMongoError as exc:
            if not is_transient(exc):
                raise
            log.info("transaction conflict, running again", extra={"attempt": attempt})
        await asyncio.sleep(random.uniform(0.01, 0.05) * attempt)  # noqa: S311 jitter
    raise Problem(
        409, "Conflict", "too many concurrent changes; try again", code="concurrent-change"
    )


async def authorize(
    stores: Stores, org_id: str, actor: Actor, action: Action
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The organization and the actor's membership, from orgs' own store (tokens carry no
    organization yet); 404 for a non-member, 403 for a member whose role does not allow it."""
    membership = await stores.memberships.get(org_id, actor.user_id)
    if membership is None:
        raise org_not_found()
    org = await stores.organizations.get(org_id)
    if org is None:
        raise org_not_found()
    with enforced():
        require(Role(membership["role"]), action)
    return org, membership


async def audit(
    stores: Stores,
    uow: UnitOfWork,
    *,
    org_id: str,
    actor: Actor,
    action: str,
    target: dict[str, str],
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    await stores.audit.record(
        {
            "_id": str(uuid7()),
            "org_id": org_id,
            "at": utcnow(),
            "actor": actor.user_id,
            "ip": actor.ip,
            "action": action,
            "target": target,
            "before": before,
            "after": after,
        },
        uow.session,
    )
