"""Device enrolment by QR code (AUTH-9): a one-time token in a konto-device:// URI."""

from urllib.parse import parse_qs, urlsplit

from konto.auth.domain.device_enrolment import enrol_uri, hash_token, new_token


def test_enrol_uri_carries_token_api_and_account_AUTH_9() -> None:
    token = new_token()
    uri = enrol_uri(token, "https://auth.konto.dev/", "anna@example.ch", "Konto")
    parts = urlsplit(uri)
    assert (parts.scheme, parts.netloc) == ("konto-device", "enrol")
    query = parse_qs(parts.query)
    assert query["token"] == [token]
    assert query["api"] == ["https://auth.konto.dev"]
    assert query["account"] == ["anna@example.ch"]
    assert query["issuer"] == ["Konto"]


def test_tokens_are_random_and_stored_only_hashed_AUTH_9() -> None:
    first, second = new_token(), new_token()
    assert first != second
    assert len(first) >= 43
    assert hash_token(first) == hash_token(first) != hash_token(second)
    assert first not in hash_token(first)
