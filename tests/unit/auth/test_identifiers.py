"""AUTH-1: login identifiers and mobiles in one canonical form."""

import pytest

from konto.auth.domain.identifiers import InvalidIdentifier, normalize_email, normalize_mobile


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Anna.Muster@Example.CH", "anna.muster@example.ch"),
        ("  anna@example.ch ", "anna@example.ch"),
        ("anna@Bücher.ch", "anna@xn--bcher-kva.ch"),
        ("anna@xn--bcher-kva.ch", "anna@xn--bcher-kva.ch"),
    ],
)
def test_email_normalised_case_and_idna_AUTH_1(raw: str, expected: str) -> None:
    assert normalize_email(raw) == expected


@pytest.mark.parametrize("raw", ["", "anna", "anna@", "@example.ch", "a b@example.ch"])
def test_invalid_email_is_refused_AUTH_1(raw: str) -> None:
    with pytest.raises(InvalidIdentifier):
        normalize_email(raw)


def test_mobile_in_e164_AUTH_1() -> None:
    assert normalize_mobile("+41 79 123 45 67") == "+41791234567"
    assert normalize_mobile("+49 151 23456789") == "+4915123456789"
    for bad in ("079 123 45 67", "+41 12", "phone"):
        with pytest.raises(InvalidIdentifier):
            normalize_mobile(bad)
