"""Opening cases and reaching them by their link token (VER-1)."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from konto.common.events import OpenCase, OpenCaseV1, uuid7
from konto.common.outbox import Outbox, UnitOfWork
from konto.verification.domain.cases import (
    PRIORITY,
    Progress,
    hash_access_token,
    missing_steps,
    new_access_token,
    required_files,
)
from konto.verification.events.published import case_opened
from konto.verification.store.cases import Case, Cases


class CaseNotFound(Exception):
    """Unknown case, or a token that does not open it; never told apart."""


class LinkExpired(Exception):
    pass


@dataclass(frozen=True)
class OpenedCase:
    case: Case
    token: str
    case_url: str


class CaseDesk:
    def __init__(
        self, *, outbox: Outbox, cases: Cases, console_url: str, link_ttl: timedelta
    ) -> None:
        self.outbox = outbox
        self.cases = cases
        self.console_url = console_url.rstrip("/")
        self.link_ttl = link_ttl

    def _new(self, request: OpenCase, now: datetime) -> OpenedCase:
        token = new_access_token()
        # MongoDB keeps milliseconds: the event must tell the same expiry the store enforces.
        now = now.replace(microsecond=now.microsecond // 1000 * 1000)
        case: Case = {
            "_id": str(uuid7()),
            "reason": request.reason,
            "requested_by": request.requested_by,
            "reference": request.reference,
            "user_id": request.user_id,
            "email": request.email or None,
            "locale": request.locale,
            "priority": PRIORITY[request.reason],
            "status": "open",
            "token_hash": hash_access_token(token),
            "created_at": now,
            "expires_at": now + self.link_ttl,
            "mobile": request.mobile,
            "mobile_confirmed_at": None,
            "sms": None,
            "geolocation": None,
            "document_type": None,
            "files": {},
            "submitted_at": None,
            "decided_at": None,
            "erased_at": None,
        }
        return OpenedCase(case, token, f"{self.console_url}/verify/{token}")

    async def open_from_command(self, command: OpenCaseV1, uow: UnitOfWork) -> None:
        """Inside the consumer's transaction: the case and its event commit with the event id,
        so a redelivered command opens nothing twice."""
        opened = self._new(command.data, command.time)
        await self.cases.insert(opened.case, uow.session)
        uow.emit(case_opened(opened.case, opened.case_url))

    async def open_for_self(self, user_id: str, locale: str, now: datetime) -> OpenedCase:
        # A first payout: billing pays out, so billing is the service that acts on the outcome.
        request = OpenCase(
            reason="first_payout",
            requested_by="billing",
            reference=user_id,
            user_id=user_id,
            email="",
            locale=locale,  # checked by the API model
        )
        opened = self._new(request, now)
        async with self.outbox.unit_of_work() as uow:
            await self.cases.insert(opened.case, uow.session)
            uow.emit(case_opened(opened.case, opened.case_url))
        return opened

    async def by_token(self, case_id: str | None, token: str, now: datetime) -> Case:
        case = await self.cases.by_token_hash(hash_access_token(token)) if token else None
        if case is None or (case_id is not None and case["_id"] != case_id):
            raise CaseNotFound
        if now >= case["expires_at"] and case["status"] == "open":
            raise LinkExpired
        return case


def view(case: Case, now: datetime) -> dict[str, Any]:
    """What the person holding the link sees: progress, never the stored secrets."""
    files = case.get("files") or {}
    geolocation = case.get("geolocation")
    progress = Progress(
        mobile_confirmed=case.get("mobile_confirmed_at") is not None,
        geolocation_answered=geolocation is not None,
        document_type=case.get("document_type"),
        completed_files=set(files),
    )
    return {
        "id": case["_id"],
        "reason": case["reason"],
        "status": case["status"],
        "created_at": case["created_at"],
        "expires_at": case["expires_at"],
        "expired": now >= case["expires_at"],
        "mobile": case.get("mobile"),
        "mobile_confirmed": progress.mobile_confirmed,
        "geolocation_consent": geolocation["consent"] if geolocation else None,
        "document_type": progress.document_type,
        "required_files": list(required_files(progress.document_type)),
        "completed_files": sorted(files),
        "missing_steps": missing_steps(progress) if case["status"] == "open" else [],
        "submitted_at": case.get("submitted_at"),
        "decided_at": case.get("decided_at"),
    }
