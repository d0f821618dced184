"""Second factors (AUTH-9): TOTP enrolment, backup codes, and the login step that asks for one.

Every accepted code is consumed with one atomic update (the TOTP step moves `last_step`
forward, a backup code is pulled out), so no code works twice, even under concurrent requests.
"""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Literal

from konto.auth.config import AuthSettings
from konto.auth.domain import backup_codes, totp
from konto.auth.service.login_guard import LoginGuard
from konto.auth.service.tokens import Client, IssuedTokens, TokenIssuer
from konto.auth.store.mfa_challenges import MfaChallenges
from konto.auth.store.second_factors import SecondFactors
from konto.common.crypto import SecretBox
from konto.common.events import (
    BackupCodesRegenerated,
    BackupCodesRegeneratedV1,
    BackupCodeUsed,
    BackupCodeUsedV1,
    MfaDisabled,
    MfaDisabledV1,
    MfaEnabled,
    MfaEnabledV1,
    utcnow,
    uuid7,
)
from konto.common.outbox import Outbox

Method = Literal["totp", "backup_code"]
METHODS: list[Method] = ["totp", "backup_code"]


class InvalidCode(Exception):
    pass


class InvalidChallenge(Exception):
    """Unknown, expired, completed or out of attempts: log in with the password again."""


class MfaConflict(Exception):
    """The request does not fit the current state (e.g. enrol while TOTP is on)."""


@dataclass(frozen=True)
class Enrolment:
    secret: str
    otpauth_uri: str
    qr_svg: str


@dataclass(frozen=True)
class MfaStatus:
    enabled: bool
    methods: list[str]
    backup_codes_remaining: int


@dataclass(frozen=True)
class Challenge:
    challenge_id: str
    methods: list[Method]
    expires_in: int


class MfaService:
    def __init__(
        self,
        *,
        settings: AuthSettings,
        outbox: Outbox,
        factors: SecondFactors,
        challenges: MfaChallenges,
        box: SecretBox,
        issuer: TokenIssuer,
        guard: LoginGuard,
    ) -> None:
        self.settings = settings
        self.outbox = outbox
        self.factors = factors
        self.challenges = challenges
        self.box = box
        self.issuer = issuer
        # Wrong second-factor codes count as failed logins too, or a known password would
        # allow guessing TOTP codes five at a time per fresh challenge.
        self.guard = guard

    async def status(self, user_id: str) -> MfaStatus:
        doc = await self.factors.of(user_id) or {}
        enabled = bool(doc.get("totp"))
        return MfaStatus(
            enabled=enabled,
            methods=["totp", "backup_code"] if enabled else [],
            backup_codes_remaining=len(doc.get("backup_codes", [])) if enabled else 0,
        )

    async def is_enabled(self, user_id: str) -> bool:
        return (await self.status(user_id)).enabled

    async def enrol_totp(self, user_id: str, account: str) -> Enrolment:
        if await self.is_enabled(user_id):
            raise MfaConflict("TOTP is already enabled; remove it first")
        secret = totp.new_secret()
        await self.factors.start_totp(user_id, self._seal(user_id, secret), utcnow())
        uri = totp.provisioning_uri(secret, account, self.settings.totp_issuer)
        return Enrolment(secret=secret, otpauth_uri=uri, qr_svg=totp.qr_svg(uri))

    async def confirm_totp(self, user_id: str, code: str) -> list[str]:
        """Turns TOTP on; returns the backup codes, shown this once."""
        doc = await self.factors.of(user_id)
        if doc is None or "pending_totp" not in doc or doc.get("totp"):
            raise MfaConflict("start an enrolment first")
        secret = self._open(user_id, doc["pending_totp"]["secret"])
        now = utcnow()
        step = totp.matching_step(secret, code, now)
        if step is None:
            raise InvalidCode
        codes = backup_codes.generate(self.settings.backup_code_count)
        async with self.outbox.unit_of_work() as uow:
            stored = [backup_codes.seal(c) for c in codes]
            if not await self.factors.confirm_totp(user_id, step, now, stored, uow.session):
                raise MfaConflict("start an enrolment first")
            uow.emit(MfaEnabledV1(subject=user_id, data=MfaEnabled(user_id=user_id, method="totp")))
        return codes

    async def remove_totp(self, user_id: str, code: str | None) -> None:
        """TOTP is the last method, so removing it disables 2FA: that takes a working code
        (an identity verification instead comes with VER-1)."""
        if not await self.is_enabled(user_id):
            raise MfaConflict("TOTP is not enabled")
        if not code or not await self._consume(user_id, code, None):
            raise InvalidCode
        async with self.outbox.unit_of_work() as uow:
            if not await self.factors.remove_totp(user_id, uow.session):
                raise MfaConflict("TOTP is not enabled")
            uow.emit(
                MfaDisabledV1(
                    subject=user_id,
                    data=MfaDisabled(user_id=user_id, method="totp", mfa_enabled=False),
                )
            )

    async def regenerate_backup_codes(self, user_id: str) -> list[str]:
        codes = backup_codes.generate(self.settings.backup_code_count)
        async with self.outbox.unit_of_work() as uow:
            stored = [backup_codes.seal(c) for c in codes]
            if not await self.factors.replace_backup_codes(user_id, stored, uow.session):
                raise MfaConflict("enable a second factor first")
            uow.emit(
                BackupCodesRegeneratedV1(
                    subject=user_id,
                    data=BackupCodesRegenerated(user_id=user_id, count=len(codes)),
                )
            )
        return codes

    async def begin_login(self, user_id: str, identifier: str, device_id: str | None) -> Challenge:
        now = utcnow()
        ttl = self.settings.mfa_challenge_ttl_seconds
        challenge_id = str(uuid7())
        await self.challenges.insert(
            {
                "_id": challenge_id,
                "user_id": user_id,
                "identifier": identifier,
                "device_id": device_id,
                "created_at": now,
                "expires_at": now + timedelta(seconds=ttl),
                "attempts": 0,
                "completed_at": None,
            }
        )
        return Challenge(challenge_id=challenge_id, methods=list(METHODS), expires_in=ttl)

    async def complete_login(
        self, challenge_id: str, code: str, method: Method | None, client: Client
    ) -> IssuedTokens:
        now = utcnow()
        challenge = await self.challenges.open_one(
            challenge_id, now, self.settings.mfa_challenge_max_attempts
        )
        if challenge is None:
            raise InvalidChallenge
        user_id = challenge["user_id"]
        await self.guard.check(challenge["identifier"], client.ip)
        if not await self._consume(user_id, code, method):
            await self.guard.failed(challenge["identifier"], client.ip, user_id)
            raise InvalidCode
        if not await self.challenges.complete(challenge_id, utcnow()):
            raise InvalidChallenge
        return await self.issuer.open_session(
            user_id, challenge["device_id"], client, amr=["pwd", "otp"]
        )

    async def _consume(self, user_id: str, code: str, method: Method | None) -> bool:
        """Accept and use up a TOTP step or a backup code of the user."""
        method = method or ("totp" if code.strip().isdigit() else "backup_code")
        doc = await self.factors.of(user_id)
        if doc is None or not doc.get("totp"):
            return False
        if method == "totp":
            secret = self._open(user_id, doc["totp"]["secret"])
            step = totp.matching_step(secret, code, utcnow())
            return step is not None and await self.factors.use_totp_step(user_id, step)
        return await self._use_backup_code(user_id, code, doc)

    async def _use_backup_code(self, user_id: str, code: str, doc: dict[str, Any]) -> bool:
        stored = [backup_codes.StoredCode(**c) for c in doc.get("backup_codes", [])]
        match = backup_codes.find(code, stored)
        if match is None:
            return False
        if not await self.factors.use_backup_code(user_id, match.id):
            return False  # a concurrent request used it first
        async with self.outbox.unit_of_work() as uow:
            uow.emit(
                BackupCodeUsedV1(
                    subject=user_id,
                    data=BackupCodeUsed(user_id=user_id, remaining=len(stored) - 1),
                )
            )
        return True

    def _seal(self, user_id: str, secret: str) -> str:
        return self.box.seal(secret.encode(), user_id.encode())

    def _open(self, user_id: str, sealed: str) -> str:
        return self.box.open(sealed, user_id.encode()).decode()
