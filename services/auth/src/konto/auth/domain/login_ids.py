"""Login identifiers (AUTH-1, AUTH-10): an e-mail address, or the username generated when the
hosted mailbox that was someone's login id is deleted. Pure."""

import hashlib
import re
import secrets
import unicodedata
from collections.abc import Callable

from konto.auth.domain.identifiers import InvalidIdentifier, normalize_email

# Initials (1 to 3 letters, "u" when the name has none) and digits; never an "@", so a generated
# username and an e-mail address can share the unique login-id index without ever colliding.
USERNAME = re.compile(r"^[a-z]{1,3}[0-9]{6}$")
USERNAME_DIGITS = 6
FALLBACK_INITIALS = "u"


def initials(name: str) -> str:
    """`Anna Muster` → `am`, `Zoë Élise Müller-Bär` → `zem`, `Anna` → `an`; ASCII-folded and
    lower case, 2 or 3 letters. A name without a letter gives `u`."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    # A hyphenated or apostrophed name is one word: "Müller-Bär" gives one initial.
    words = [w for w in (re.sub(r"[^a-z]", "", part) for part in folded.split()) if w]
    if not words:
        return FALLBACK_INITIALS
    if len(words) == 1:
        letters = words[0][:2]
    elif len(words) <= 3:
        letters = "".join(w[0] for w in words)
    else:  # first, second and last: "Anna Maria von Muster" → "amm"
        letters = words[0][0] + words[1][0] + words[-1][0]
    return letters if len(letters) >= 2 else FALLBACK_INITIALS


def generate_username(name: str, randbelow: Callable[[int], int] = secrets.randbelow) -> str:
    """Initials and six random digits; the caller retries on a collision (unique index)."""
    return f"{initials(name)}{randbelow(10**USERNAME_DIGITS):0{USERNAME_DIGITS}d}"


def is_username(text: str) -> bool:
    return USERNAME.fullmatch(text) is not None


def parse_login_id(raw: str) -> str | None:
    """The canonical login id a person typed, or None when it cannot be one. With an "@" it is
    an e-mail address (AUTH-1 normalisation); otherwise a generated username, case-insensitive."""
    text = raw.strip()
    if "@" in text:
        try:
            return normalize_email(text)
        except InvalidIdentifier:
            return None
    lowered = text.lower()
    return lowered if is_username(lowered) else None


def new_change_token() -> str:
    """256 random bits: proof of the password login that must set a new identifier."""
    return secrets.token_urlsafe(32)


def hash_change_token(token: str) -> str:
    # Random, not a password: SHA-256 suffices and keeps the lookup indexable.
    return hashlib.sha256(token.encode()).hexdigest()
