"""SMS confirmation codes (VER-2): six digits, stored hashed, limited in time, tries and sends."""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime

from konto.verification.domain.cases import StepRefused


def new_code() -> str:
    return f"{secrets.randbelow(10**6):06d}"


def hash_code(case_id: str, code: str) -> str:
    # Bound to the case so one hash says nothing about another case's code; the few tries
    # allowed make the small code space safe online, and the hash keeps it out of backups.
    return hashlib.sha256(f"{case_id}:{code}".encode()).hexdigest()


@dataclass(frozen=True)
class PendingCode:
    code_hash: str
    expires_at: datetime
    attempts: int


class CodeRejected(StepRefused):
    def __init__(self, message: str, *, attempts_left: int) -> None:
        super().__init__(message)
        self.attempts_left = attempts_left


def ensure_can_send(sends: int, max_sends: int) -> None:
    if sends >= max_sends:
        raise StepRefused("too many codes sent for this case")


def check_code(
    case_id: str, code: str, pending: PendingCode | None, now: datetime, max_attempts: int
) -> None:
    """Raises CodeRejected unless `code` is the pending one; the caller counts the attempt."""
    if pending is None:
        raise CodeRejected("request a code first", attempts_left=0)
    if pending.attempts >= max_attempts:
        raise CodeRejected("too many wrong codes; request a new one", attempts_left=0)
    if now >= pending.expires_at:
        raise CodeRejected("the code has expired; request a new one", attempts_left=0)
    if not hmac.compare_digest(pending.code_hash, hash_code(case_id, code.strip())):
        left = max_attempts - pending.attempts - 1
        raise CodeRejected("wrong code", attempts_left=left)
