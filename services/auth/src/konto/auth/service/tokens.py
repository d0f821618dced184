"""Opening a session and signing its access tokens, shared by password login, the second-factor
step and refresh (AUTH-3)."""

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import jwt

from konto.auth.config import AuthSettings
from konto.auth.domain.locations import locate
from konto.auth.domain.organizations import Membership, choose_org
from konto.auth.domain.tokens import access_claims, hash_refresh_token, new_refresh_token
from konto.auth.events.published import login_succeeded
from konto.auth.store.locations import KnownLocations
from konto.auth.store.memberships import Memberships
from konto.auth.store.sessions import Sessions
from konto.auth.store.signing_keys import SigningKeys
from konto.auth.store.users import Users
from konto.common.events import utcnow, uuid7
from konto.common.outbox import Outbox


@dataclass(frozen=True)
class IssuedTokens:
    access_token: str
    expires_in: int
    refresh_token: str
    session_id: str
    device_id: str
    user_id: str


@dataclass(frozen=True)
class Client:
    """Where a request comes from."""

    ip: str
    user_agent: str


class TokenIssuer:
    def __init__(
        self,
        *,
        settings: AuthSettings,
        outbox: Outbox,
        sessions: Sessions,
        locations: KnownLocations,
        keys: SigningKeys,
        memberships: Memberships,
        users: Users,
    ) -> None:
        self.settings = settings
        self.outbox = outbox
        self.sessions = sessions
        self.locations = locations
        self.keys = keys
        self.memberships = memberships
        self.users = users

    @property
    def ttl(self) -> timedelta:
        return timedelta(seconds=self.settings.access_token_ttl_seconds)

    async def sign(
        self,
        user_id: str,
        session_id: str,
        amr: list[str],
        now: datetime,
        *,
        org: str | None = None,
        role: str | None = None,
    ) -> str:
        kid, key = await self.keys.signer()
        claims = access_claims(
            user_id=user_id,
            session_id=session_id,
            issuer=self.settings.jwt_issuer,
            now=now,
            ttl=self.ttl,
            amr=amr,
            org=org,
            role=role,
        )
        return jwt.encode(claims, key, algorithm="EdDSA", headers={"kid": kid})

    async def org_for_login(self, user_id: str) -> Membership | None:
        memberships = await self.memberships.of_user(user_id)
        if len(memberships) < 2:  # nothing to choose from: spare every login a user read
            return choose_org(memberships, None)
        user = await self.users.by_id(user_id)
        return choose_org(memberships, user.get("last_org_id") if user else None)

    async def open_session(
        self, user_id: str, device_id: str | None, client: Client, amr: list[str]
    ) -> IssuedTokens:
        """A new session (its own refresh-token family), the location noted, the login event."""
        now = utcnow()
        device_id = device_id or secrets.token_urlsafe(16)
        location = locate(device_id, client.ip, client.user_agent)
        session_id = str(uuid7())
        refresh_token = new_refresh_token()
        org = await self.org_for_login(user_id)
        async with self.outbox.unit_of_work() as uow:
            await self.sessions.insert(
                {
                    "_id": session_id,
                    "user_id": user_id,
                    "family_id": session_id,
                    "refresh_hash": hash_refresh_token(refresh_token),
                    "device_id": device_id,
                    "ip": client.ip,
                    "user_agent": client.user_agent,
                    "amr": amr,
                    "created_at": now,
                    "refreshed_at": now,
                    "expires_at": now + timedelta(days=self.settings.refresh_token_ttl_days),
                    "revoked_at": None,
                    "org_id": org.org_id if org else None,
                },
                uow.session,
            )
            new_location = await self.locations.record(user_id, location, now, uow.session)
            uow.emit(
                login_succeeded(
                    user_id=user_id,
                    session_id=session_id,
                    location=location,
                    ip=client.ip,
                    user_agent=client.user_agent,
                    new_location=new_location,
                    amr=amr,
                )
            )
        return IssuedTokens(
            access_token=await self.sign(
                user_id,
                session_id,
                amr,
                now,
                org=org.org_id if org else None,
                role=org.role if org else None,
            ),
            expires_in=int(self.ttl.total_seconds()),
            refresh_token=refresh_token,
            session_id=session_id,
            device_id=device_id,
            user_id=user_id,
        )
