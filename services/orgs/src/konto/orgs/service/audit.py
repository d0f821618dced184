"""Reading the audit trail (ORG-9): managers only, newest first, filterable, cursor-paged."""

from dataclasses import dataclass
from typing import Any

from konto.orgs.domain.roles import Action
from konto.orgs.service.common import Actor, Stores, authorize


@dataclass(frozen=True)
class AuditPage:
    items: list[dict[str, Any]]
    next_cursor: str | None


class AuditService:
    def __init__(self, stores: Stores) -> None:
        self.stores = stores

    async def page(
        self,
        actor: Actor,
        org_id: str,
        *,
        limit: int,
        cursor: str | None,
        action: str | None,
        by: str | None,
    ) -> AuditPage:
        await authorize(self.stores, org_id, actor, Action.VIEW_AUDIT)
        # One row more than asked tells whether another page exists.
        rows = await self.stores.audit.page(
            org_id, limit=limit + 1, before=cursor, action=action, actor=by
        )
        items = rows[:limit]
        more = len(rows) > limit
        return AuditPage(items=items, next_cursor=items[-1]["_id"] if more and items else None)
