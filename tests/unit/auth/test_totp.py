"""TOTP rules (AUTH-9): ±1 step of drift, the matched step returned for replay protection."""

from datetime import UTC, datetime, timedelta

import pyotp

from konto.auth.domain.totp import matching_step, provisioning_uri, qr_svg

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
NOW = datetime(2026, 11, 21, 12, 0, 15, tzinfo=UTC)


def test_current_and_neighbouring_steps_match_AUTH_9() -> None:
    totp = pyotp.TOTP(SECRET)
    step = totp.timecode(NOW)
    assert matching_step(SECRET, totp.at(NOW), NOW) == step
    assert matching_step(SECRET, totp.at(NOW - timedelta(seconds=30)), NOW) == step - 1
    assert matching_step(SECRET, totp.at(NOW + timedelta(seconds=30)), NOW) == step + 1


def test_codes_two_steps_away_or_malformed_do_not_match_AUTH_9() -> None:
    totp = pyotp.TOTP(SECRET)
    assert matching_step(SECRET, totp.at(NOW + timedelta(seconds=60)), NOW) is None
    assert matching_step(SECRET, totp.at(NOW - timedelta(seconds=60)), NOW) is None
    assert matching_step(SECRET, "12345", NOW) is None
    assert matching_step(SECRET, "abcdef", NOW) is None


def test_spaces_in_a_typed_code_are_ignored_AUTH_9() -> None:
    code = pyotp.TOTP(SECRET).at(NOW)
    assert matching_step(SECRET, f"{code[:3]} {code[3:]}", NOW) is not None


def test_enrolment_uri_and_qr_AUTH_9() -> None:
    uri = provisioning_uri(SECRET, "anna@example.ch", "Konto")
    assert uri.startswith("otpauth://totp/Konto:anna%40example.ch?")
    assert f"secret={SECRET}" in uri
    assert "issuer=Konto" in uri
    assert qr_svg(uri).startswith("<svg")
