"""AUTH-10: the username generated for an account whose login mailbox was deleted, and the
login id field that takes an e-mail address (AUTH-1 normalisation) or such a username."""

import pytest

from konto.auth.domain.login_ids import (
    generate_username,
    hash_change_token,
    initials,
    is_username,
    new_change_token,
    parse_login_id,
)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Anna Muster", "am"),
        ("  anna   muster ", "am"),
        ("Zoë Élise Müller-Bär", "zem"),  # ASCII-folded; a hyphenated name is one word
        ("Anna Maria von Muster", "amm"),  # first, second and last
        ("Anna", "an"),
        ("Ørjan Ødegård", "rd"),  # Ø has no ASCII fold: the letters that remain
        ("李小龍", "u"),
        ("", "u"),
        ("X", "u"),
        ("O'Brien Seán", "os"),
    ],
)
def test_initials_ascii_folded_two_or_three_letters_AUTH_10(name: str, expected: str) -> None:
    assert initials(name) == expected


def test_generated_username_is_initials_and_digits_AUTH_10() -> None:
    assert generate_username("Anna Muster", lambda _: 42) == "am000042"
    assert generate_username("李小龍", lambda _: 987654) == "u987654"
    drawn = {generate_username("Anna Muster") for _ in range(50)}
    assert len(drawn) > 1  # random digits: a collision is retried with a new draw
    assert all(is_username(u) and "@" not in u for u in drawn)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Anna.Muster@Example.CH", "anna.muster@example.ch"),  # AUTH-1 normalisation kept
        ("anna@Bücher.ch", "anna@xn--bcher-kva.ch"),
        ("  AM004242 ", "am004242"),  # a username, case-insensitive
        ("u987654", "u987654"),
        ("anna@", None),
        ("am42", None),  # not a generated username
        ("anna", None),
        ("", None),
    ],
)
def test_login_id_field_takes_an_email_or_a_username_AUTH_10(
    raw: str, expected: str | None
) -> None:
    assert parse_login_id(raw) == expected


def test_change_token_is_random_and_stored_hashed_AUTH_10() -> None:
    token = new_change_token()
    assert len(token) >= 43
    assert token != new_change_token()
    assert hash_change_token(token) == hash_change_token(token) != token
