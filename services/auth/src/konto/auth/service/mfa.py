"""Second factors (AUTH-9): TOTP app, SMS codes and authenticator devices (push approval, or
the device's TOTP offline), several at once; backup codes; the login step that asks for one.

This coordinator turns methods on; the factors themselves live in `totp_factor`, `sms_factor`,
`devices` and `backup_codes`, a code of any of them is checked in `factor_codes`, taking them
away is `factor_removal`, the login's second step `login_challenges`. Backup codes come with the
first method; removing the last method ends 2FA and takes them along.
"""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from pymongo.asynchronous.client_session import AsyncClientSession

from konto.auth.config import AuthSettings
from konto.auth.domain.backup_codes import StoredCode, seal
from konto.auth.service.backup_codes import BackupCodes
from konto.auth.service.devices import DeviceService, NewDevice
from konto.auth.service.factor_codes import FactorCodes
from konto.auth.service.factor_removal import FactorRemoval
from konto.auth.service.login_challenges import LoginChallenges
from konto.auth.service.login_guard import LoginGuard
from konto.auth.service.mfa_methods import InvalidCode, Method, MfaConflict
from konto.auth.service.sms_factor import SmsFactor
from konto.auth.service.tokens import TokenIssuer
from konto.auth.service.totp_factor import Enrolment, TotpFactor
from konto.auth.store.mfa_challenges import MfaChallenges
from konto.auth.store.second_factors import SecondFactors
from konto.common.crypto import SecretBox
from konto.common.events import MfaEnabled, MfaEnabledV1, utcnow
from konto.common.events.auth import MfaMethod
from konto.common.outbox import Outbox, UnitOfWork

# Stores a method being turned on, with the backup codes when it starts 2FA; False when the
# state changed underneath (the method is on already, the enrolment is gone).
StoreMethod = Callable[[list[StoredCode] | None, AsyncClientSession], Awaitable[bool]]


@dataclass(frozen=True)
class MfaStatus:
    enabled: bool
    methods: list[str]
    backup_codes_remaining: int


@dataclass(frozen=True)
class EnrolledDevice:
    device: NewDevice
    backup_codes: list[str]


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
        sms: SmsFactor,
        devices: DeviceService,
    ) -> None:
        self.outbox = outbox
        self.factors = factors
        self.sms = sms
        self.devices = devices
        self.totp = TotpFactor(settings=settings, factors=factors, box=box)
        self.backup_codes = BackupCodes(settings=settings, outbox=outbox, factors=factors)
        self.codes = FactorCodes(
            factors=factors,
            totp=self.totp,
            sms=sms,
            devices=devices,
            backup_codes=self.backup_codes,
        )
        self.removal = FactorRemoval(
            outbox=outbox, factors=factors, codes=self.codes, devices=devices
        )
        self.login = LoginChallenges(
            settings=settings,
            outbox=outbox,
            challenges=challenges,
            codes=self.codes,
            sms=sms,
            devices=devices,
            guard=guard,
            issuer=issuer,
        )

    async def status(self, user_id: str) -> MfaStatus:
        factors = await self.codes.of(user_id)
        methods = factors.methods
        return MfaStatus(
            enabled=bool(methods),
            methods=list(methods),
            backup_codes_remaining=len(factors.doc.get("backup_codes", [])) if methods else 0,
        )

    async def is_enabled(self, user_id: str) -> bool:
        return (await self.status(user_id)).enabled

    # -- turning a method on ----------------------------------------------------------------

    async def enrol_totp(self, user_id: str, account: str) -> Enrolment:
        return await self.totp.enrol(user_id, account)

    async def confirm_totp(self, user_id: str, code: str) -> list[str]:
        """Turns TOTP on; returns the backup codes when this starts 2FA (shown this once),
        else none."""
        now = utcnow()
        step = await self.totp.pending_step(user_id, code, now)
        return await self._turn_on(
            user_id,
            "totp",
            lambda stored, session: self.factors.confirm_totp(user_id, step, now, stored, session),
            conflict="start an enrolment first",
        )

    async def send_sms_code(self, user_id: str) -> int:
        """A code to the profile's mobile: to confirm SMS as a factor, or (once it is one) to
        prove a removal. Raises NoMobile or TooManyCodes."""
        return await self.sms.send(user_id, f"me:{user_id}")

    async def confirm_sms(self, user_id: str, code: str) -> list[str]:
        if (await self.factors.of(user_id) or {}).get("sms"):
            raise MfaConflict("SMS codes are already enabled")
        if not await self.sms.check(f"me:{user_id}", code):
            raise InvalidCode
        return await self._turn_on(
            user_id,
            "sms",
            lambda stored, session: self.factors.enable_sms(user_id, utcnow(), stored, session),
            conflict="SMS codes are already enabled",
        )

    async def enrol_device(
        self, token: str, public_key: str, name: str, push_token: str | None
    ) -> EnrolledDevice:
        """The device's own call with the QR code's token; when the device starts 2FA, the
        backup codes come back with it (shown once, on the device)."""
        codes = self.backup_codes.generate()
        async with self.outbox.unit_of_work() as uow:
            device = await self.devices.enrol(token, public_key, name, push_token, uow)
            first = await self.factors.start_backup_codes(
                device.user_id, [seal(c) for c in codes], uow.session
            )
            self._added(device.user_id, "push", uow)
        return EnrolledDevice(device=device, backup_codes=codes if first else [])

    async def regenerate_backup_codes(self, user_id: str) -> list[str]:
        return await self.backup_codes.regenerate(user_id)

    async def _turn_on(
        self, user_id: str, method: MfaMethod, store: StoreMethod, *, conflict: str
    ) -> list[str]:
        """New backup codes when 2FA is not on yet (this method starts it), else none."""
        codes = [] if await self.is_enabled(user_id) else self.backup_codes.generate()
        async with self.outbox.unit_of_work() as uow:
            if not await store([seal(c) for c in codes] if codes else None, uow.session):
                raise MfaConflict(conflict)
            self._added(user_id, method, uow)
        return codes

    def _added(self, user_id: str, method: MfaMethod, uow: UnitOfWork) -> None:
        uow.emit(MfaEnabledV1(subject=user_id, data=MfaEnabled(user_id=user_id, method=method)))

    # -- taking a method away ---------------------------------------------------------------

    async def remove_totp(self, user_id: str, code: str | None, method: Method | None) -> None:
        await self.removal.remove(user_id, "totp", code, method)

    async def remove_sms(self, user_id: str, code: str | None, method: Method | None) -> None:
        await self.removal.remove(user_id, "sms", code, method)

    async def remove_device(
        self, user_id: str, device_id: str, code: str | None, method: Method | None
    ) -> None:
        await self.removal.remove(user_id, device_id, code, method)

    async def remove_all(self, user_id: str, uow: UnitOfWork) -> None:
        await self.removal.remove_all(user_id, uow)
