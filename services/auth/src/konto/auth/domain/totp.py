"""TOTP after RFC 6238 (AUTH-9): 30 s steps, 6 digits, one step of clock drift either way. The
matched step is returned so the caller can refuse it a second time (no replay)."""

import hmac
from datetime import datetime

import pyotp
import segno

DRIFT_STEPS = 1


def new_secret() -> str:
    return pyotp.random_base32()  # 160 bits, as RFC 4226 recommends


def provisioning_uri(secret: str, account: str, issuer: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=account, issuer_name=issuer)


def qr_svg(uri: str) -> str:
    return str(segno.make(uri, error="m").svg_inline(scale=4))


def matching_step(secret: str, code: str, now: datetime) -> int | None:
    """The time step whose code equals `code` within ±DRIFT_STEPS of `now`, else None."""
    code = code.strip().replace(" ", "")
    if len(code) != 6 or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now)
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def code_at(secret: str, now: datetime) -> str:
    return pyotp.TOTP(secret).at(now)
