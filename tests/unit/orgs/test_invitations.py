"""ORG-4: invitation tokens are random, stored hashed, expire; e-mail addresses normalised."""

from datetime import UTC, datetime, timedelta

import pytest

from konto.orgs.domain.invitations import (
    InvalidEmail,
    Status,
    accept_url,
    hash_token,
    new_token,
    normalize_email,
    status_of,
)
from konto.orgs.domain.names import InvalidName, clean_name

NOW = datetime(2026, 11, 21, 12, tzinfo=UTC)


def test_tokens_are_unique_and_only_their_hash_is_kept_ORG_4() -> None:
    tokens = {new_token() for _ in range(50)}
    assert len(tokens) == 50
    token = tokens.pop()
    assert len(token) >= 43
    assert hash_token(token) == hash_token(token)
    assert token not in hash_token(token)


def test_accept_link_points_at_the_console_ORG_4() -> None:
    assert (
        accept_url("https://console.example/", "abc") == "https://console.example/invitations/abc"
    )


@pytest.mark.parametrize(
    ("stored", "expires_in", "expected"),
    [
        ("pending", timedelta(hours=1), Status.PENDING),
        ("pending", timedelta(0), Status.EXPIRED),
        ("pending", -timedelta(hours=1), Status.EXPIRED),
        ("accepted", -timedelta(hours=1), Status.ACCEPTED),
        ("revoked", timedelta(hours=1), Status.REVOKED),
    ],
)
def test_status_counts_expiry_ORG_4(stored: str, expires_in: timedelta, expected: Status) -> None:
    assert status_of(stored, NOW + expires_in, NOW) is expected


def test_email_is_normalised_or_refused_ORG_4() -> None:
    assert normalize_email("  Anna.Muster@Example.CH ") == "anna.muster@example.ch"
    for bad in ("", "anna", "anna@", "@example.ch", "an na@example.ch", "anna@example"):
        with pytest.raises(InvalidEmail):
            normalize_email(bad)


def test_org_names_are_trimmed_and_bounded_ORG_6() -> None:
    assert clean_name("  Acme \t AG ") == "Acme AG"
    for bad in ("", "   ", "x" * 201):
        with pytest.raises(InvalidName):
            clean_name(bad)
