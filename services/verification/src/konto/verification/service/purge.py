"""The privacy purge (VER-4): erases personal data and files as the domain rules say. Files go
first, then the fields, so a pass interrupted halfway is finished by the next one."""

import asyncio
import logging
from datetime import datetime, timedelta
from typing import get_args

from konto.common.events import utcnow
from konto.verification.domain.cases import FileKind
from konto.verification.domain.purge import erased_fields, purge_action
from konto.verification.store.cases import Cases
from konto.verification.store.files import CaseFiles, file_key

log = logging.getLogger(__name__)


class Purge:
    def __init__(self, *, cases: Cases, files: CaseFiles, undecided_after: timedelta) -> None:
        self.cases = cases
        self.files = files
        self.undecided_after = undecided_after

    async def run_once(self, now: datetime) -> int:
        """Returns how many cases were erased; a second pass at the same `now` erases none."""
        erased = 0
        for case in await self.cases.purge_candidates(now, now - self.undecided_after):
            action = purge_action(
                status=case["status"],
                submitted_at=case.get("submitted_at"),
                expires_at=case["expires_at"],
                erased_at=case.get("erased_at"),
                now=now,
                undecided_after=self.undecided_after,
            )
            if action is None:
                continue
            # Every kind, not only the completed ones: an upload never confirmed is there too.
            for kind in get_args(FileKind):
                await self.files.delete(file_key(case["_id"], kind))
            await self.cases.erase(case["_id"], action.status, erased_fields(case), now)
            log.info("case personal data erased", extra={"case_id": case["_id"], "why": action.why})
            erased += 1
        return erased

    async def run_forever(self, interval_seconds: float) -> None:
        while True:
            try:
                await self.run_once(utcnow())
            except asyncio.CancelledError:
                raise
            except Exception:
                log.warning("purge pass failed; next pass retries", exc_info=True)
            await asyncio.sleep(interval_seconds)
