"""Taking second factors away (AUTH-9): one method with a working code of any factor, the last
one ending 2FA and its backup codes; or every one after an identity verification (VER-3)."""

from konto.auth.service.devices import DeviceService
from konto.auth.service.factor_codes import FactorCodes
from konto.auth.service.mfa_methods import Factors, Method, MfaConflict
from konto.auth.store.second_factors import SecondFactors
from konto.common.events import MfaDisabled, MfaDisabledV1
from konto.common.events.auth import MfaMethod
from konto.common.outbox import Outbox, UnitOfWork


class SecondFactorRequired(Exception):
    """Taking a method away needs a working code of any factor."""


class FactorRemoval:
    def __init__(
        self,
        *,
        outbox: Outbox,
        factors: SecondFactors,
        codes: FactorCodes,
        devices: DeviceService,
    ) -> None:
        self.outbox = outbox
        self.factors = factors
        self.codes = codes
        self.devices = devices

    async def remove(
        self, user_id: str, what: str, code: str | None, method: Method | None
    ) -> None:
        """Take one method away (`totp`, `sms` or a device id); that needs a working code of
        any factor. The last one ends 2FA, backup codes included; without a working code an
        identity verification removes them all (below)."""
        before = await self.codes.of(user_id)
        if not before.methods:
            raise MfaConflict("two-factor login is not enabled")
        if what in ("totp", "sms"):
            if not before.doc.get(what):
                raise MfaConflict(f"{what} is not enabled")
        elif what not in {d.id for d in await self.devices.of_user(user_id)}:
            raise MfaConflict("no such device")  # before spending the caller's code on it
        if not code or not await self.codes.consume(user_id, code, method, f"me:{user_id}"):
            raise SecondFactorRequired
        async with self.outbox.unit_of_work() as uow:
            if what in ("totp", "sms"):
                if not await self.factors.remove_method(user_id, what, uow.session):
                    raise MfaConflict(f"{what} is not enabled")
                kind: MfaMethod = "totp" if what == "totp" else "sms"
            else:
                if await self.devices.remove(user_id, what, uow) is None:
                    raise MfaConflict("no such device")
                kind = "push"
            left = await self._left_after(user_id, before, what)
            if not left:
                await self.factors.end(user_id, uow.session)
            uow.emit(_disabled(user_id, kind, still_enabled=left))

    async def _left_after(self, user_id: str, before: Factors, removed: str) -> bool:
        others = [m for m in ("totp", "sms") if m != removed and before.doc.get(m)]
        if others:
            return True
        devices = await self.devices.of_user(user_id)
        return any(d.id != removed for d in devices)

    async def remove_all(self, user_id: str, uow: UnitOfWork) -> None:
        """After an approved identity verification (VER-3): every factor and the backup codes
        go; one `mfa.disabled` per kind of method there was."""
        doc = await self.factors.end(user_id, uow.session) or {}
        kinds: list[MfaMethod] = []
        if doc.get("totp"):
            kinds.append("totp")
        if doc.get("sms"):
            kinds.append("sms")
        if await self.devices.remove_all(user_id, uow):
            kinds.append("push")
        for kind in kinds:
            uow.emit(_disabled(user_id, kind, still_enabled=False))


def _disabled(user_id: str, method: MfaMethod, *, still_enabled: bool) -> MfaDisabledV1:
    return MfaDisabledV1(
        subject=user_id,
        data=MfaDisabled(user_id=user_id, method=method, mfa_enabled=still_enabled),
    )
