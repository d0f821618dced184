"""A code of any of a person's second factors (AUTH-9), accepted and used up with one atomic
update (a TOTP step moves forward, a backup code is pulled out, an SMS code is marked used), so
no code works twice, even under concurrent requests."""

from konto.auth.service.backup_codes import BackupCodes
from konto.auth.service.devices import DeviceService
from konto.auth.service.mfa_methods import Factors, Method
from konto.auth.service.sms_factor import SmsFactor
from konto.auth.service.totp_factor import TotpFactor
from konto.auth.store.second_factors import SecondFactors


class FactorCodes:
    def __init__(
        self,
        *,
        factors: SecondFactors,
        totp: TotpFactor,
        sms: SmsFactor,
        devices: DeviceService,
        backup_codes: BackupCodes,
    ) -> None:
        self.factors = factors
        self.totp = totp
        self.sms = sms
        self.devices = devices
        self.backup_codes = backup_codes

    async def of(self, user_id: str) -> Factors:
        doc = await self.factors.of(user_id) or {}
        return Factors(doc=doc, devices=await self.devices.has_any(user_id))

    async def consume(
        self, user_id: str, code: str, method: Method | None, sms_scope: str
    ) -> Method | None:
        """Accept and use up a code of one of the user's factors; the method it was, or None.
        Without `method`, six digits are tried as the app's, a device's, then an SMS code."""
        factors = await self.of(user_id)
        present = factors.methods
        candidates: list[Method]
        if method is None:
            guesses: list[Method] = ["totp", "device_totp", "sms"]
            digits = code.strip().replace(" ", "").isdigit()
            candidates = [m for m in guesses if m in present] if digits else ["backup_code"]
        else:
            candidates = [method] if method in present else []
        for candidate in candidates:
            if await self._try(user_id, code, candidate, factors, sms_scope):
                return candidate
        return None

    async def _try(
        self, user_id: str, code: str, method: Method, factors: Factors, sms_scope: str
    ) -> bool:
        if method == "totp":
            return await self.totp.use(user_id, code, factors.doc)
        if method == "device_totp":
            return await self.devices.use_totp(user_id, code)
        if method == "sms":
            return await self.sms.check(sms_scope, code)
        if method == "backup_code":
            return await self.backup_codes.use(user_id, code, factors.doc)
        return False  # push is no code
