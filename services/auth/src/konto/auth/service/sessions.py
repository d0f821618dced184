"""Use cases of AUTH-3 after login: refresh with rotation and reuse detection, list and revoke
sessions, log out."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from konto.auth.config import AuthSettings
from konto.auth.domain.organizations import Membership
from konto.auth.domain.tokens import hash_refresh_token, new_refresh_token
from konto.auth.service.tokens import Client, IssuedTokens, TokenIssuer
from konto.auth.store.sessions import Sessions
from konto.common.events import (
    SessionReuseDetected,
    SessionReuseDetectedV1,
    SessionRevoked,
    SessionRevokedV1,
    utcnow,
)
from konto.common.outbox import Outbox


class InvalidRefreshToken(Exception):
    """Unknown, rotated, revoked or expired; the caller must log in again."""


class SessionNotFound(Exception):
    pass


@dataclass(frozen=True)
class SessionView:
    id: str
    device_id: str
    ip: str
    user_agent: str
    amr: list[str]
    created_at: datetime
    last_used_at: datetime
    current: bool


class SessionsService:
    def __init__(
        self, *, settings: AuthSettings, outbox: Outbox, sessions: Sessions, issuer: TokenIssuer
    ) -> None:
        self.settings = settings
        self.outbox = outbox
        self.sessions = sessions
        self.issuer = issuer

    async def refresh(self, refresh_token: str, client: Client) -> IssuedTokens:
        now = utcnow()
        old_hash = hash_refresh_token(refresh_token)
        new_token = new_refresh_token()
        doc = await self.sessions.rotate(old_hash, hash_refresh_token(new_token), now)
        if doc is None:
            await self._maybe_reuse(old_hash, client, now)
            raise InvalidRefreshToken
        membership = await self._org_of(doc)
        return IssuedTokens(
            access_token=await self.issuer.sign(
                doc["user_id"],
                doc["_id"],
                doc["amr"],
                now,
                org=membership.org_id if membership else None,
                role=membership.role if membership else None,
            ),
            expires_in=int(self.issuer.ttl.total_seconds()),
            refresh_token=new_token,
            session_id=doc["_id"],
            device_id=doc["device_id"],
            user_id=doc["user_id"],
        )

    async def _org_of(self, doc: dict[str, Any]) -> Membership | None:
        """ORG-1: the membership is checked again on every refresh, so a removal (or a role
        change) reaches the token at the next refresh at the latest. A session that had no
        organization yet (logged in before orgs founded the personal one) gets one now; one
        whose organization is gone keeps none ("") until the client switches."""
        org_id = doc.get("org_id")
        if org_id is None:
            chosen = await self.issuer.org_for_login(doc["user_id"])
            if chosen is not None:
                await self.sessions.set_org(doc["_id"], chosen.org_id)
            return chosen
        if not org_id:
            return None
        membership = await self.issuer.memberships.get(org_id, doc["user_id"])
        if membership is None:
            await self.sessions.set_org(doc["_id"], "")
        return membership

    async def _maybe_reuse(self, token_hash: str, client: Client, now: datetime) -> None:
        """A rotated token is back: whoever holds it may have stolen it, so the whole family
        ends. Within the leeway it is the loser of a client's own concurrent refresh."""
        used = await self.sessions.used_token(token_hash)
        if used is None:
            return
        leeway = timedelta(seconds=self.settings.refresh_reuse_leeway_seconds)
        if now - used["used_at"] <= leeway:
            return
        async with self.outbox.unit_of_work() as uow:
            revoked = await self.sessions.revoke_family(
                used["family_id"], now, "refresh-token-reuse", uow.session
            )
            if revoked:  # announced once, not on every later replay
                uow.emit(
                    SessionReuseDetectedV1(
                        subject=used["user_id"],
                        data=SessionReuseDetected(
                            user_id=used["user_id"],
                            session_id=used["session_id"],
                            family_id=used["family_id"],
                            ip=client.ip,
                            user_agent=client.user_agent,
                        ),
                    )
                )

    async def list_of(self, user_id: str, current_session_id: str) -> list[SessionView]:
        docs = await self.sessions.active_of(user_id, utcnow())
        return [_view(doc, current_session_id) for doc in docs]

    async def revoke(self, user_id: str, session_id: str, current_session_id: str) -> None:
        reason = "logout" if session_id == current_session_id else "revoked"
        async with self.outbox.unit_of_work() as uow:
            if not await self.sessions.revoke(user_id, session_id, utcnow(), reason, uow.session):
                raise SessionNotFound(session_id)
            uow.emit(
                SessionRevokedV1(
                    subject=user_id,
                    data=SessionRevoked(user_id=user_id, session_id=session_id, reason=reason),
                )
            )

    async def is_active(self, session_id: str) -> bool:
        return await self.sessions.is_active(session_id, utcnow())


def _view(doc: dict[str, Any], current_session_id: str) -> SessionView:
    return SessionView(
        id=doc["_id"],
        device_id=doc["device_id"],
        ip=doc["ip"],
        user_agent=doc["user_agent"],
        amr=doc["amr"],
        created_at=doc["created_at"],
        last_used_at=doc.get("refreshed_at") or doc["created_at"],
        current=doc["_id"] == current_session_id,
    )
