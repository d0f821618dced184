"""The authenticator app (AUTH-9): 30 s steps, 6 digits, ±1 step; the seed sealed with the user
id as associated data. An accepted step moves `last_step` forward atomically, so a code is never
accepted twice."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from konto.auth.config import AuthSettings
from konto.auth.domain import totp
from konto.auth.service.mfa_methods import InvalidCode, MfaConflict
from konto.auth.store.second_factors import SecondFactors
from konto.common.crypto import SecretBox
from konto.common.events import utcnow


@dataclass(frozen=True)
class Enrolment:
    secret: str
    otpauth_uri: str
    qr_svg: str


class TotpFactor:
    def __init__(self, *, settings: AuthSettings, factors: SecondFactors, box: SecretBox) -> None:
        self.settings = settings
        self.factors = factors
        self.box = box

    async def enrol(self, user_id: str, account: str) -> Enrolment:
        if (await self.factors.of(user_id) or {}).get("totp"):
            raise MfaConflict("TOTP is already enabled; remove it first")
        secret = totp.new_secret()
        await self.factors.start_totp(user_id, self._seal(user_id, secret), utcnow())
        uri = totp.provisioning_uri(secret, account, self.settings.totp_issuer)
        return Enrolment(secret=secret, otpauth_uri=uri, qr_svg=totp.qr_svg(uri))

    async def pending_step(self, user_id: str, code: str, now: datetime) -> int:
        """The step `code` matches of the enrolment waiting for its confirmation; raises
        MfaConflict without one, InvalidCode for a wrong code."""
        doc = await self.factors.of(user_id)
        if doc is None or "pending_totp" not in doc or doc.get("totp"):
            raise MfaConflict("start an enrolment first")
        secret = self._open(user_id, doc["pending_totp"]["secret"])
        step = totp.matching_step(secret, code, now)
        if step is None:
            raise InvalidCode
        return step

    async def use(self, user_id: str, code: str, doc: dict[str, Any]) -> bool:
        secret = self._open(user_id, doc["totp"]["secret"])
        step = totp.matching_step(secret, code, utcnow())
        return step is not None and await self.factors.use_totp_step(user_id, step)

    def _seal(self, user_id: str, secret: str) -> str:
        return self.box.seal(secret.encode(), user_id.encode())

    def _open(self, user_id: str, sealed: str) -> str:
        return self.box.open(sealed, user_id.encode()).decode()
