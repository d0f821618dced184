"""Billing's door (issue 5): only members with billing rights, administrators and legal
representatives pass; the others learn no more than they may."""

from konto.billing.domain.access import billing_access
from konto.billing.store.memberships import Memberships
from konto.common.errors import Problem


class BillingAccess:
    def __init__(self, memberships: Memberships) -> None:
        self.memberships = memberships

    async def require(self, org_id: str, user_id: str) -> None:
        member = await self.memberships.get(org_id, user_id)
        decision = billing_access(
            member["role"] if member else None, bool(member and member["billing"])
        )
        if decision == "not_found":
            raise Problem(404, "Not found", "no such organization", code="org-not-found")
        if decision == "forbidden":
            raise Problem(
                403,
                "Forbidden",
                "you have no billing rights in this organization",
                code="no-billing-rights",
            )
