"""Case rules (VER-1, VER-2): priorities, tokens, steps needed before submission."""

from datetime import UTC, datetime, timedelta

import pytest

from konto.verification.domain.cases import (
    PRIORITY,
    Progress,
    StepRefused,
    ensure_editable,
    ensure_file_expected,
    hash_access_token,
    missing_steps,
    new_access_token,
    normalize_mobile,
)

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)


def test_tokens_are_random_and_stored_hashed_VER_1() -> None:
    first, second = new_access_token(), new_access_token()
    assert first != second
    assert len(first) >= 43
    assert hash_access_token(first) != first
    assert hash_access_token(first) == hash_access_token(first)


def test_locked_out_people_are_reviewed_before_payouts_VER_3() -> None:
    assert PRIORITY["account_unlock"] < PRIORITY["forgotten_password"] < PRIORITY["first_payout"]
    assert PRIORITY["blocked_order"] == 1


def test_mobile_is_normalised_to_e164_VER_2() -> None:
    assert normalize_mobile("+41 79 123 45 67") == "+41791234567"
    assert normalize_mobile("0041791234567") == "+41791234567"
    with pytest.raises(StepRefused):
        normalize_mobile("079 123 45 67")


def test_expired_or_submitted_case_refuses_steps_VER_1() -> None:
    ensure_editable("open", NOW + timedelta(seconds=1), NOW)
    with pytest.raises(StepRefused, match="expired"):
        ensure_editable("open", NOW, NOW)
    with pytest.raises(StepRefused, match="submitted"):
        ensure_editable("submitted", NOW + timedelta(days=1), NOW)


def test_identity_card_needs_back_passport_does_not_VER_2() -> None:
    ensure_file_expected("identity_card", "back")
    ensure_file_expected("passport", "selfie")
    with pytest.raises(StepRefused):
        ensure_file_expected("passport", "back")
    with pytest.raises(StepRefused, match="document type"):
        ensure_file_expected(None, "front")


def test_missing_steps_in_order_VER_2() -> None:
    assert missing_steps(Progress(False, False, None, ())) == [
        "mobile",
        "geolocation",
        "document_type",
    ]
    card = Progress(True, True, "identity_card", {"front"})
    assert missing_steps(card) == ["files.back", "files.selfie"]
    assert missing_steps(Progress(True, True, "passport", {"front", "selfie"})) == []
