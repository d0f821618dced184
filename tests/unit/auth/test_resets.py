"""Password-reset rules (AUTH-6)."""

from konto.auth.domain.resets import (
    code_matches,
    hash_code,
    hash_link_token,
    new_code,
    new_link_token,
    reset_url,
    route,
)


def test_the_chosen_option_when_the_account_has_it_AUTH_6() -> None:
    assert route("email", email="a@x.ch", mobile="+41791234567") == "email"
    assert route("sms", email="a@x.ch", mobile="+41791234567") == "sms"


def test_no_usable_option_means_a_verification_never_another_channel_AUTH_6() -> None:
    assert route("sms", email="a@x.ch", mobile=None) == "case"
    assert route("sms", email="a@x.ch", mobile="") == "case"
    assert route("email", email=None, mobile="+41791234567") == "case"


def test_codes_are_six_digits_bound_to_their_reset_AUTH_6() -> None:
    codes = {new_code() for _ in range(50)}
    assert all(len(c) == 6 and c.isdigit() for c in codes)
    assert len(codes) > 40
    stored = hash_code("reset-1", "012345")
    assert code_matches("reset-1", " 012345 ", stored)
    assert not code_matches("reset-2", "012345", stored)
    assert not code_matches("reset-1", "012346", stored)


def test_links_carry_a_random_token_kept_only_as_hash_AUTH_6() -> None:
    token = new_link_token()
    assert len(token) >= 43
    assert token != new_link_token()
    assert hash_link_token(token) != token
    assert len(hash_link_token(token)) == 64
    assert reset_url("https://console.konto.ch/", token) == (
        f"https://console.konto.ch/password-reset/{token}"
    )
