"""ORG-8: the organization's logo, shown in place of its name. The file goes to S3 first (a
new key each time), then the organization document points at it in a transaction with the
audit row and the event; the replaced file is removed after commit."""

import logging
from dataclasses import dataclass
from typing import Any

from konto.common.errors import Problem
from konto.common.events import utcnow, uuid7
from konto.common.outbox import Outbox, UnitOfWork
from konto.orgs.domain.logos import InvalidLogo, check_logo
from konto.orgs.domain.roles import Action
from konto.orgs.events.published import logo_changed
from konto.orgs.service.common import Actor, Stores, audit, authorize, transact
from konto.orgs.store.logos import LogoFiles

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LogoView:
    """What GET answers: a short-lived URL of the logo, or None and the name to show."""

    name: str
    url: str | None
    content_type: str | None
    expires_in: int


class LogosService:
    def __init__(
        self, stores: Stores, outbox: Outbox, files: LogoFiles, *, url_seconds: int
    ) -> None:
        self.stores = stores
        self.outbox = outbox
        self.files = files
        self.url_seconds = url_seconds

    async def get(self, actor: Actor, org_id: str) -> LogoView:
        org, _ = await authorize(self.stores, org_id, actor, Action.VIEW)
        logo = org.get("logo")
        if not logo:
            return LogoView(org["name"], None, None, self.url_seconds)
        url = await self.files.url(logo["key"], self.url_seconds)
        return LogoView(org["name"], url, logo["content_type"], self.url_seconds)

    async def upload(self, actor: Actor, org_id: str, data: bytes) -> LogoView:
        await authorize(self.stores, org_id, actor, Action.CHANGE_LOGO)
        try:
            checked = check_logo(data)
        except InvalidLogo as exc:
            raise Problem(
                422,
                "Invalid request",
                "check these fields: file",
                code="validation-error",
                errors=[{"field": "file", "message": str(exc), "type": "value_error"}],
            ) from exc
        key = self.files.key(org_id, str(uuid7()))
        await self.files.put(key, data, checked.content_type)
        logo = {
            "key": key,
            "content_type": checked.content_type,
            "size": len(data),
            "updated_at": utcnow(),
        }
        previous = await self._replace(actor, org_id, logo)
        await self._forget(previous)
        return await self.get(actor, org_id)

    async def remove(self, actor: Actor, org_id: str) -> None:
        await authorize(self.stores, org_id, actor, Action.CHANGE_LOGO)
        await self._forget(await self._replace(actor, org_id, None))

    async def _replace(
        self, actor: Actor, org_id: str, logo: dict[str, Any] | None
    ) -> dict[str, Any] | None:
        """Point the organization at `logo` (None: no logo); returns the one it replaced."""

        async def work(uow: UnitOfWork) -> dict[str, Any] | None:
            org = await self.stores.organizations.get(org_id, uow.session)
            if org is None:
                raise Problem(404, "Not found", "no such organization", code="org-not-found")
            previous: dict[str, Any] | None = org.get("logo")
            if previous is None and logo is None:
                return None  # nothing to remove: no event
            await self.stores.organizations.set_logo(org_id, logo, uow.session)
            await audit(
                self.stores,
                uow,
                org_id=org_id,
                actor=actor,
                action="organization.logo_changed",
                target={"type": "organization", "id": org_id},
                before=_summary(previous),
                after=_summary(logo),
            )
            uow.emit(logo_changed(org_id, logo["content_type"] if logo else None, actor.user_id))
            return previous

        return await transact(self.outbox, work)

    async def _forget(self, logo: dict[str, Any] | None) -> None:
        if logo is None:
            return
        try:
            await self.files.delete(logo["key"])
        except Exception:
            # An orphan file costs a few KiB; the change itself has committed.
            log.warning("old logo not deleted", extra={"key": logo["key"]})


def _summary(logo: dict[str, Any] | None) -> dict[str, Any] | None:
    return {"content_type": logo["content_type"], "size": logo["size"]} if logo else None
