"""Use cases of AUTH-1 and AUTH-3: register, log in with a password."""

import asyncio
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import jwt

from konto.auth.config import AuthSettings
from konto.auth.domain.identifiers import normalize_email, normalize_mobile
from konto.auth.domain.locations import locate
from konto.auth.domain.passwords import Passwords, check_policy
from konto.auth.domain.tokens import access_claims, hash_refresh_token, new_refresh_token
from konto.auth.events.published import login_succeeded, user_registered
from konto.auth.store.locations import KnownLocations
from konto.auth.store.sessions import Sessions
from konto.auth.store.signing_keys import SigningKeys
from konto.auth.store.users import Users
from konto.common.events import utcnow, uuid7
from konto.common.outbox import Outbox


class InvalidCredentials(Exception):
    """Unknown identifier or wrong password; the two are never told apart."""


@dataclass(frozen=True)
class Registration:
    email: str
    password: str
    name: str
    mobile: str
    locale: str


@dataclass(frozen=True)
class LoginAttempt:
    email: str
    password: str
    device_id: str | None
    ip: str
    user_agent: str


@dataclass(frozen=True)
class IssuedTokens:
    access_token: str
    expires_in: int
    refresh_token: str
    session_id: str
    device_id: str
    user_id: str


class Accounts:
    def __init__(
        self,
        *,
        settings: AuthSettings,
        outbox: Outbox,
        users: Users,
        sessions: Sessions,
        locations: KnownLocations,
        keys: SigningKeys,
        passwords: Passwords,
    ) -> None:
        self.settings = settings
        self.outbox = outbox
        self.users = users
        self.sessions = sessions
        self.locations = locations
        self.keys = keys
        self.passwords = passwords

    async def register(self, reg: Registration) -> dict[str, Any]:
        """Raises InvalidIdentifier, WeakPassword or EmailTaken; writes nothing then."""
        email = normalize_email(reg.email)
        mobile = normalize_mobile(reg.mobile)
        check_policy(reg.password)
        password_hash = await asyncio.to_thread(self.passwords.hash, reg.password)
        now = utcnow()
        user = {
            "_id": str(uuid7()),
            "email": email,
            "password_hash": password_hash,
            "name": reg.name.strip(),
            "mobile": mobile,
            "locale": reg.locale,
            "created_at": now,
        }
        async with self.outbox.unit_of_work() as uow:
            await self.users.insert(user, uow.session)
            uow.emit(user_registered(user))
        return user

    async def login(self, attempt: LoginAttempt) -> IssuedTokens:
        try:
            email = normalize_email(attempt.email)
        except ValueError:
            email = ""
        user = await self.users.by_email(email) if email else None
        stored_hash = user["password_hash"] if user else None
        ok = await asyncio.to_thread(self.passwords.verify, stored_hash, attempt.password)
        if not ok or user is None:
            raise InvalidCredentials
        now = utcnow()
        if self.passwords.needs_rehash(user["password_hash"]):
            rehashed = await asyncio.to_thread(self.passwords.hash, attempt.password)
            await self.users.set_password_hash(user["_id"], rehashed, now)

        device_id = attempt.device_id or secrets.token_urlsafe(16)
        location = locate(device_id, attempt.ip, attempt.user_agent)
        session_id = str(uuid7())
        refresh_token = new_refresh_token()
        amr = ["pwd"]
        async with self.outbox.unit_of_work() as uow:
            await self.sessions.insert(
                {
                    "_id": session_id,
                    "user_id": user["_id"],
                    "family_id": session_id,
                    "refresh_hash": hash_refresh_token(refresh_token),
                    "device_id": device_id,
                    "ip": attempt.ip,
                    "user_agent": attempt.user_agent,
                    "amr": amr,
                    "created_at": now,
                    "expires_at": now + timedelta(days=self.settings.refresh_token_ttl_days),
                    "revoked_at": None,
                },
                uow.session,
            )
            new_location = await self.locations.record(user["_id"], location, now, uow.session)
            uow.emit(
                login_succeeded(
                    user_id=user["_id"],
                    session_id=session_id,
                    location=location,
                    ip=attempt.ip,
                    user_agent=attempt.user_agent,
                    new_location=new_location,
                    amr=amr,
                )
            )
        ttl = timedelta(seconds=self.settings.access_token_ttl_seconds)
        kid, key = await self.keys.signer()
        claims = access_claims(
            user_id=user["_id"],
            session_id=session_id,
            issuer=self.settings.jwt_issuer,
            now=now,
            ttl=ttl,
            amr=amr,
        )
        token = jwt.encode(claims, key, algorithm="EdDSA", headers={"kid": kid})
        return IssuedTokens(
            access_token=token,
            expires_in=int(ttl.total_seconds()),
            refresh_token=refresh_token,
            session_id=session_id,
            device_id=device_id,
            user_id=user["_id"],
        )
