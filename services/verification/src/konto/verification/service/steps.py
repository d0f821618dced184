"""The steps a person takes on a case through its link (VER-2): mobile and SMS code,
geolocation, document type, photos uploaded straight to S3 and checked, then submission."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from konto.common.crypto import SecretBox
from konto.common.outbox import Outbox
from konto.verification.config import VerificationSettings
from konto.verification.domain import codes
from konto.verification.domain.cases import (
    IMAGE_TYPES,
    Progress,
    StepRefused,
    ensure_editable,
    ensure_file_expected,
    missing_steps,
    normalize_mobile,
)
from konto.verification.domain.images import UnreadableImage, check_photo, probe
from konto.verification.events.published import case_submitted, sms_code_requested
from konto.verification.store.cases import Case, Cases
from konto.verification.store.files import CaseFiles, file_key


class StateChanged(StepRefused):
    """The case changed meanwhile (submitted, or the link expired)."""

    def __init__(self) -> None:
        super().__init__("the case can no longer change")


@dataclass(frozen=True)
class Position:
    latitude: float
    longitude: float
    accuracy_m: float | None


class Steps:
    def __init__(
        self,
        *,
        settings: VerificationSettings,
        outbox: Outbox,
        cases: Cases,
        files: CaseFiles,
        command_box: SecretBox,
    ) -> None:
        self.settings = settings
        self.outbox = outbox
        self.cases = cases
        self.files = files
        self.command_box = command_box

    async def _change(self, case: Case, now: datetime, changes: dict[str, Any], **kw: Any) -> Case:
        ensure_editable(case["status"], case["expires_at"], now)
        updated = await self.cases.update_open(case["_id"], changes, **kw)
        if updated is None:
            raise StateChanged
        return updated

    async def set_mobile(self, case: Case, raw: str, now: datetime) -> Case:
        mobile = normalize_mobile(raw)
        if mobile == case.get("mobile") and case.get("mobile_confirmed_at"):
            return case
        # A new number needs a new confirmation.
        return await self._change(
            case, now, {"mobile": mobile, "mobile_confirmed_at": None, "sms": None}
        )

    async def send_code(self, case: Case, now: datetime) -> datetime:
        ensure_editable(case["status"], case["expires_at"], now)
        mobile = case.get("mobile")
        if not mobile:
            raise StepRefused("enter the mobile number first")
        if case.get("mobile_confirmed_at"):
            raise StepRefused("the mobile number is confirmed already")
        codes.ensure_can_send(case.get("sms_sends", 0), self.settings.sms_code_max_sends)
        code = codes.new_code()
        expires_at = now + timedelta(seconds=self.settings.sms_code_ttl_seconds)
        # notify opens it with the shared key; the case id as associated data stops a sealed
        # code from being replayed into another case's message.
        sealed = self.command_box.seal(code.encode(), associated=case["_id"].encode())
        async with self.outbox.unit_of_work() as uow:
            updated = await self.cases.update_open(
                case["_id"],
                {
                    "sms": {
                        "code_hash": codes.hash_code(case["_id"], code),
                        "expires_at": expires_at,
                        "attempts": 0,
                    }
                },
                uow.session,
                inc={"sms_sends": 1},
            )
            if updated is None:
                raise StateChanged
            uow.emit(sms_code_requested(updated, mobile, sealed, expires_at))
        return expires_at

    async def confirm_code(self, case: Case, code: str, now: datetime) -> Case:
        ensure_editable(case["status"], case["expires_at"], now)
        sms = case.get("sms")
        pending = (
            codes.PendingCode(sms["code_hash"], sms["expires_at"], sms["attempts"]) if sms else None
        )
        try:
            codes.check_code(case["_id"], code, pending, now, self.settings.sms_code_max_attempts)
        except codes.CodeRejected:
            if pending is not None:
                await self.cases.update_open(case["_id"], {}, inc={"sms.attempts": 1})
            raise
        return await self._change(case, now, {"mobile_confirmed_at": now, "sms": None})

    async def set_geolocation(
        self, case: Case, consent: bool, position: Position | None, now: datetime
    ) -> Case:
        if consent and position is None:
            raise StepRefused("with consent, send the position too")
        answer: dict[str, Any] = {"consent": consent, "answered_at": now}
        if consent and position is not None:
            answer.update(
                latitude=position.latitude,
                longitude=position.longitude,
                accuracy_m=position.accuracy_m,
            )
        return await self._change(case, now, {"geolocation": answer})

    async def set_document_type(self, case: Case, document_type: str, now: datetime) -> Case:
        if document_type == case.get("document_type"):
            return case
        # Photos of another document type no longer count.
        return await self._change(case, now, {"document_type": document_type, "files": {}})

    async def upload_target(
        self, case: Case, kind: str, content_type: str, now: datetime
    ) -> dict[str, Any]:
        ensure_editable(case["status"], case["expires_at"], now)
        ensure_file_expected(case.get("document_type"), kind)
        if content_type not in IMAGE_TYPES:
            raise StepRefused(f"photos must be one of {', '.join(IMAGE_TYPES)}")
        form = await self.files.upload_form(
            file_key(case["_id"], kind),
            content_type=content_type,
            max_bytes=self.settings.upload_max_bytes,
            expires_seconds=self.settings.upload_url_ttl_seconds,
        )
        return {
            "url": form["url"],
            "fields": form["fields"],
            "content_type": content_type,
            "max_bytes": self.settings.upload_max_bytes,
            "expires_at": now + timedelta(seconds=self.settings.upload_url_ttl_seconds),
        }

    async def complete_upload(self, case: Case, kind: str, now: datetime) -> Case:
        """Checks what S3 holds: size and type from HEAD, dimensions from the first bytes."""
        ensure_editable(case["status"], case["expires_at"], now)
        ensure_file_expected(case.get("document_type"), kind)
        key = file_key(case["_id"], kind)
        arrived = await self.files.arrived(key)
        if arrived is None:
            raise StepRefused(f"no {kind} photo has arrived")
        try:
            if arrived.size < 1:
                raise UnreadableImage("the file is empty")
            prefix = await self.files.first_bytes(
                key, min(self.settings.image_probe_bytes, arrived.size)
            )
            info = probe(prefix)
            check_photo(
                info,
                declared_type=arrived.content_type,
                size=arrived.size,
                max_bytes=self.settings.upload_max_bytes,
                min_side=self.settings.image_min_side,
            )
        except UnreadableImage as exc:
            await self.files.delete(key)  # nothing unusable stays in storage
            raise StepRefused(f"the {kind} photo was refused: {exc}") from exc
        record = {
            "key": key,
            "content_type": info.content_type,
            "size": arrived.size,
            "width": info.width,
            "height": info.height,
            "encrypted_at_rest": arrived.encrypted_at_rest,
            "completed_at": now,
        }
        return await self._change(case, now, {f"files.{kind}": record})

    async def submit(self, case: Case, now: datetime) -> Case:
        ensure_editable(case["status"], case["expires_at"], now)
        missing = missing_steps(
            Progress(
                mobile_confirmed=case.get("mobile_confirmed_at") is not None,
                geolocation_answered=case.get("geolocation") is not None,
                document_type=case.get("document_type"),
                completed_files=set(case.get("files") or {}),
            )
        )
        if missing:
            raise StepRefused(f"still missing: {', '.join(missing)}")
        async with self.outbox.unit_of_work() as uow:
            updated = await self.cases.transition(
                case["_id"], "open", {"status": "submitted", "submitted_at": now}, uow.session
            )
            if updated is None:
                raise StateChanged
            uow.emit(case_submitted(updated))
        return updated
