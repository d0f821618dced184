"""Review by support agents (VER-3): the queue, a case with short-lived photo links, the
decision that the requesting service acts on."""

from datetime import datetime, timedelta
from typing import Any

from konto.common.outbox import Outbox
from konto.verification.domain.review import wait_of
from konto.verification.events.published import case_decided
from konto.verification.store.agents import Agents
from konto.verification.store.cases import Case, Cases
from konto.verification.store.files import CaseFiles


class NotAnAgent(Exception):
    pass


class NotReviewable(Exception):
    """Unknown case, or one that is not waiting for a decision."""


class Review:
    def __init__(
        self,
        *,
        outbox: Outbox,
        cases: Cases,
        agents: Agents,
        files: CaseFiles,
        target: timedelta,
        url_ttl_seconds: int,
    ) -> None:
        self.outbox = outbox
        self.cases = cases
        self.agents = agents
        self.files = files
        self.target = target
        self.url_ttl_seconds = url_ttl_seconds

    async def ensure_agent(self, user_id: str) -> None:
        if not await self.agents.contains(user_id):
            raise NotAnAgent

    def _summary(self, case: Case, now: datetime) -> dict[str, Any]:
        wait = wait_of(case["submitted_at"], now, self.target)
        return {
            "id": case["_id"],
            "reason": case["reason"],
            "priority": case["priority"],
            "requested_by": case["requested_by"],
            "status": case["status"],
            "submitted_at": case["submitted_at"],
            "waited_seconds": wait.waited_seconds,
            "target_seconds": wait.target_seconds,
            "overdue": wait.overdue,
        }

    async def queue(self, now: datetime, limit: int) -> list[dict[str, Any]]:
        return [self._summary(case, now) for case in await self.cases.queue(limit)]

    async def detail(self, case_id: str, now: datetime) -> dict[str, Any]:
        case = await self.cases.get(case_id)
        if case is None or case["status"] != "submitted":
            raise NotReviewable
        files = {}
        for kind, record in (case.get("files") or {}).items():
            files[kind] = {
                "content_type": record["content_type"],
                "size": record["size"],
                "width": record["width"],
                "height": record["height"],
                "encrypted_at_rest": record.get("encrypted_at_rest", False),
                "url": await self.files.download_url(record["key"], self.url_ttl_seconds),
                "url_expires_at": now + timedelta(seconds=self.url_ttl_seconds),
            }
        return {
            **self._summary(case, now),
            "reference": case["reference"],
            "user_id": case.get("user_id"),
            "email": case.get("email"),
            "mobile": case.get("mobile"),
            "mobile_confirmed_at": case.get("mobile_confirmed_at"),
            "geolocation": case.get("geolocation"),
            "document_type": case.get("document_type"),
            "files": files,
        }

    async def decide(
        self, case_id: str, agent_id: str, approve: bool, reason: str, now: datetime
    ) -> Case:
        async with self.outbox.unit_of_work() as uow:
            decided = await self.cases.transition(
                case_id,
                "submitted",
                {
                    "status": "approved" if approve else "rejected",
                    "decided_at": now,
                    "decided_by": agent_id,
                    "decision_reason": reason,
                },
                uow.session,
            )
            if decided is None:
                raise NotReviewable
            uow.emit(case_decided(decided))
        return decided
