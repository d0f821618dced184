"""Case rules (VER-1, VER-2): priorities, the link token, which steps and files a case needs
before it can be submitted. Pure: no I/O, the caller passes `now`."""

import hashlib
import re
import secrets
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Literal, get_args

from konto.common.events.verification import CaseReason

Status = Literal["open", "submitted", "approved", "rejected", "expired"]
DocumentType = Literal["identity_card", "passport"]
FileKind = Literal["front", "back", "selfie"]
IMAGE_TYPES = ("image/jpeg", "image/png")
DECIDED: tuple[Status, ...] = ("approved", "rejected")

# 1 is reviewed first. Someone locked out of their account or with a blocked order is stuck
# right now; forgotten credentials and 2FA removal next; a first payout can wait the longest.
PRIORITY: dict[str, int] = {
    "account_unlock": 1,
    "blocked_order": 1,
    "forgotten_password": 2,
    "forgotten_login_id": 2,
    "mfa_deactivation": 2,
    "first_payout": 3,
}
assert set(PRIORITY) == set(get_args(CaseReason))

REQUIRED_FILES: dict[str, tuple[FileKind, ...]] = {
    "identity_card": ("front", "back", "selfie"),
    "passport": ("front", "selfie"),
}

_E164 = re.compile(r"^\+[1-9]\d{7,14}$")


class StepRefused(ValueError):
    """The step does not fit the case's state; the message says why."""


def new_access_token() -> str:
    return secrets.token_urlsafe(32)


def hash_access_token(token: str) -> str:
    # A 256-bit random token needs no slow hash; SHA-256 keeps the lookup indexable.
    return hashlib.sha256(token.encode()).hexdigest()


def normalize_mobile(raw: str) -> str:
    mobile = re.sub(r"[\s\-().]", "", raw)
    if mobile.startswith("00"):
        mobile = "+" + mobile[2:]
    if not _E164.match(mobile):
        raise StepRefused("a mobile number with country code, e.g. +41791234567")
    return mobile


def ensure_editable(status: str, expires_at: datetime, now: datetime) -> None:
    """Steps change only an open case whose link has not expired."""
    if status != "open":
        raise StepRefused(f"the case is {status}; it can no longer change")
    if now >= expires_at:
        raise StepRefused("the case link has expired")


def required_files(document_type: str | None) -> tuple[FileKind, ...]:
    if document_type is None:
        return ()
    return REQUIRED_FILES[document_type]


def ensure_file_expected(document_type: str | None, kind: str) -> None:
    if document_type is None:
        raise StepRefused("choose the document type first")
    if kind not in REQUIRED_FILES[document_type]:
        raise StepRefused(f"a {document_type} needs no {kind} photo")


@dataclass(frozen=True)
class Progress:
    mobile_confirmed: bool
    geolocation_answered: bool
    document_type: str | None
    completed_files: Collection[str]


def missing_steps(progress: Progress) -> list[str]:
    """What is still missing before submission, in the order the person does it."""
    missing = []
    if not progress.mobile_confirmed:
        missing.append("mobile")
    if not progress.geolocation_answered:
        missing.append("geolocation")
    if progress.document_type is None:
        missing.append("document_type")
    for kind in required_files(progress.document_type):
        if kind not in progress.completed_files:
            missing.append(f"files.{kind}")
    return missing
