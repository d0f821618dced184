"""Forgotten login id (AUTH-8): which account a mobile number (and maybe a recovery e-mail)
identifies, and how the id is sent. Pure."""

from dataclasses import dataclass
from typing import Literal

Outcome = Literal["sms", "email", "ambiguous", "case", "nothing"]


@dataclass(frozen=True)
class Candidate:
    """An account with the given mobile number."""

    user_id: str
    recovery_email: str | None


def identify(
    candidates: list[Candidate], recovery_email: str | None
) -> tuple[Outcome, Candidate | None]:
    """- one account with this mobile: its id by SMS to that mobile;
    - with a recovery e-mail: the one account whose confirmed recovery address it is, by mail
      to that address;
    - several accounts share the mobile and no recovery e-mail came: ambiguous, nothing is
      sent (the answer asks for the recovery e-mail without saying whether it matters);
    - no account identified but an address to reach the person: an identity verification;
      otherwise nothing."""
    if recovery_email is not None:
        matching = [c for c in candidates if c.recovery_email == recovery_email]
        if len(matching) == 1:
            return "email", matching[0]
        return "case", None
    if len(candidates) == 1:
        return "sms", candidates[0]
    if len(candidates) > 1:
        return "ambiguous", None
    return "nothing", None
