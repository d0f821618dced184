"""The login's second step (AUTH-9): after the password, a challenge answered with a code of any
factor or approved on a device. Wrong codes count as failed logins too (AUTH-5)."""

from dataclasses import dataclass
from datetime import timedelta

from konto.auth.config import AuthSettings
from konto.auth.service.devices import DeviceService, PushStarted
from konto.auth.service.factor_codes import FactorCodes
from konto.auth.service.login_guard import LoginGuard
from konto.auth.service.mfa_methods import Method, MfaConflict
from konto.auth.service.sms_factor import SmsFactor
from konto.auth.service.tokens import Client, IssuedTokens, TokenIssuer
from konto.auth.store.mfa_challenges import MfaChallenges
from konto.common.events import utcnow, uuid7
from konto.common.outbox import Outbox

# RFC 8176 `amr` of each way through the second step.
AMR: dict[Method, str] = {
    "totp": "otp",
    "device_totp": "otp",
    "backup_code": "otp",
    "sms": "sms",
    "push": "swk",
}


class InvalidChallenge(Exception):
    """Unknown, expired, completed or out of attempts: log in with the password again."""


class InvalidLoginCode(Exception):
    """The answer to a challenge is no working code of the person's factors."""


class LoginDenied(Exception):
    """The device denied the login."""


@dataclass(frozen=True)
class Challenge:
    challenge_id: str
    methods: list[Method]
    expires_in: int


@dataclass(frozen=True)
class PushPending:
    expires_in: int


class LoginChallenges:
    def __init__(
        self,
        *,
        settings: AuthSettings,
        outbox: Outbox,
        challenges: MfaChallenges,
        codes: FactorCodes,
        sms: SmsFactor,
        devices: DeviceService,
        guard: LoginGuard,
        issuer: TokenIssuer,
    ) -> None:
        self.settings = settings
        self.outbox = outbox
        self.challenges = challenges
        self.codes = codes
        self.sms = sms
        self.devices = devices
        # Wrong second-factor codes count as failed logins too, or a known password would
        # allow guessing TOTP codes five at a time per fresh challenge.
        self.guard = guard
        self.issuer = issuer

    async def begin(self, user_id: str, identifier: str, device_id: str | None) -> Challenge:
        now = utcnow()
        ttl = self.settings.mfa_challenge_ttl_seconds
        challenge_id = str(uuid7())
        methods = (await self.codes.of(user_id)).methods
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
        return Challenge(challenge_id=challenge_id, methods=methods, expires_in=ttl)

    async def send_sms(self, challenge_id: str) -> int:
        """Raises InvalidChallenge, MfaConflict (no SMS factor), NoMobile or TooManyCodes."""
        challenge = await self.challenges.live(challenge_id, utcnow())
        if challenge is None:
            raise InvalidChallenge
        if not (await self.codes.of(challenge["user_id"])).doc.get("sms"):
            raise MfaConflict("SMS codes are not a second factor of this account")
        return await self.sms.send(
            challenge["user_id"], f"login:{challenge_id}", challenge["expires_at"]
        )

    async def start_push(self, challenge_id: str, client: Client) -> PushStarted:
        """Raises InvalidChallenge or MfaConflict (no device)."""
        challenge = await self.challenges.live(challenge_id, utcnow())
        if challenge is None:
            raise InvalidChallenge
        if not await self.devices.has_any(challenge["user_id"]):
            raise MfaConflict("no authenticator device is enrolled")
        async with self.outbox.unit_of_work() as uow:
            return await self.devices.ask(challenge, client, uow)

    async def complete(
        self, challenge_id: str, code: str | None, method: Method | None, client: Client
    ) -> IssuedTokens | PushPending:
        if method == "push":
            return await self._complete_by_push(challenge_id, client)
        now = utcnow()
        challenge = await self.challenges.open_one(
            challenge_id, now, self.settings.mfa_challenge_max_attempts
        )
        if challenge is None:
            raise InvalidChallenge
        user_id = challenge["user_id"]
        await self.guard.check(challenge["identifier"], client.ip)
        used = await self.codes.consume(user_id, code or "", method, f"login:{challenge_id}")
        if used is None:
            await self.guard.failed(challenge["identifier"], client.ip, user_id)
            raise InvalidLoginCode
        if not await self.challenges.complete(challenge_id, utcnow()):
            raise InvalidChallenge
        return await self.issuer.open_session(
            user_id, challenge["device_id"], client, amr=["pwd", AMR[used]]
        )

    async def _complete_by_push(
        self, challenge_id: str, client: Client
    ) -> IssuedTokens | PushPending:
        """The client polls: pending (202), approved (tokens), denied or expired (401)."""
        challenge = await self.challenges.live(challenge_id, utcnow())
        if challenge is None:
            raise InvalidChallenge
        outcome = await self.devices.outcome(challenge_id)
        if outcome is None:
            raise MfaConflict("ask the device first (POST /v1/sessions/mfa/push)")
        if outcome == "pending":
            remaining = (challenge["expires_at"] - utcnow()).total_seconds()
            return PushPending(expires_in=max(0, int(remaining)))
        if outcome == "denied":
            await self.challenges.deny(challenge_id, utcnow())
            await self.guard.failed(challenge["identifier"], client.ip, challenge["user_id"])
            raise LoginDenied
        if outcome == "expired" or not await self.challenges.complete(challenge_id, utcnow()):
            raise InvalidChallenge
        return await self.issuer.open_session(
            challenge["user_id"], challenge["device_id"], client, amr=["pwd", AMR["push"]]
        )
