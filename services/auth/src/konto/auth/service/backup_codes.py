"""Backup codes (AUTH-9): they come with the method that starts 2FA, are shown once and stored
as salted SHA-256. A used code is pulled out of the list atomically, so it works once even under
concurrent requests."""

from typing import Any

from konto.auth.config import AuthSettings
from konto.auth.domain.backup_codes import StoredCode, find, generate, seal
from konto.auth.service.mfa_methods import MfaConflict
from konto.auth.store.second_factors import SecondFactors
from konto.common.events import (
    BackupCodesRegenerated,
    BackupCodesRegeneratedV1,
    BackupCodeUsed,
    BackupCodeUsedV1,
)
from konto.common.outbox import Outbox


class BackupCodes:
    def __init__(self, *, settings: AuthSettings, outbox: Outbox, factors: SecondFactors) -> None:
        self.settings = settings
        self.outbox = outbox
        self.factors = factors

    def generate(self) -> list[str]:
        return generate(self.settings.backup_code_count)

    async def regenerate(self, user_id: str) -> list[str]:
        codes = self.generate()
        async with self.outbox.unit_of_work() as uow:
            stored = [seal(c) for c in codes]
            if not await self.factors.replace_backup_codes(user_id, stored, uow.session):
                raise MfaConflict("enable a second factor first")
            uow.emit(
                BackupCodesRegeneratedV1(
                    subject=user_id,
                    data=BackupCodesRegenerated(user_id=user_id, count=len(codes)),
                )
            )
        return codes

    async def use(self, user_id: str, code: str, doc: dict[str, Any]) -> bool:
        stored = [StoredCode(**c) for c in doc.get("backup_codes", [])]
        match = find(code, stored)
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
