"""Payment references of bank transfers (BIL-4), pure: Swiss QR references (mod-10 recursive)
and ISO 11649 creditor references (mod 97), checked against python-stdnum's independent
implementations and as properties (hypothesis): every made reference is valid, every single
changed character is caught."""

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum import iso11649
from stdnum.ch import esr

from konto.billing.domain.proformas import payment_reference, proforma_number
from konto.billing.domain.references import (
    compact,
    creditor_reference,
    is_creditor_reference,
    is_qr_iban,
    is_qr_reference,
    mod10_recursive,
    printed,
    qr_reference,
)

DIGITS = st.text(alphabet="0123456789", min_size=1, max_size=26).filter(lambda d: d.strip("0"))
RF_PAYLOAD = st.text(alphabet="0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=1, max_size=21)


def test_known_references_BIL_4() -> None:
    # SIX's sample QR reference and the ISO 11649 standard's example.
    assert qr_reference("21000000000313947143000901") == "210000000003139471430009017"
    assert mod10_recursive("21000000000313947143000901") == 7
    assert creditor_reference("539007547034") == "RF18539007547034"
    assert is_creditor_reference("RF18 5390 0754 7034")
    assert is_qr_reference("21 00000 00003 13947 14300 09017")
    assert printed("210000000003139471430009017") == "21 00000 00003 13947 14300 09017"
    assert printed("RF18539007547034") == "RF18 5390 0754 7034"


@given(DIGITS)
def test_qr_reference_is_valid_and_agrees_with_stdnum_BIL_4(payload: str) -> None:
    reference = qr_reference(payload)
    assert len(reference) == 27
    assert reference.isdigit()
    assert is_qr_reference(reference)
    assert esr.is_valid(reference)
    assert int(reference[:-1]) == int(payload)  # the payload survives, zero-padded


@given(DIGITS, st.integers(0, 26), st.integers(1, 9))
def test_qr_reference_catches_any_single_wrong_digit_BIL_4(
    payload: str, position: int, shift: int
) -> None:
    reference = qr_reference(payload)
    wrong = str((int(reference[position]) + shift) % 10)
    changed = reference[:position] + wrong + reference[position + 1 :]
    assert not is_qr_reference(changed)


@given(RF_PAYLOAD)
def test_creditor_reference_is_valid_and_agrees_with_stdnum_BIL_4(payload: str) -> None:
    reference = creditor_reference(payload)
    assert reference.startswith("RF")
    assert reference[4:] == payload
    assert is_creditor_reference(reference)
    assert iso11649.is_valid(reference)
    assert is_creditor_reference(printed(reference).lower())  # as a payer might type it


@given(RF_PAYLOAD, st.data())
def test_creditor_reference_catches_a_wrong_digit_or_letter_BIL_4(
    payload: str, data: st.DataObject
) -> None:
    reference = creditor_reference(payload)
    position = data.draw(st.integers(2, len(reference) - 1))
    # Mod 97 catches any digit for a digit and any letter for a letter (a letter counts as
    # two digits, so a letter for a digit may collide).
    alphabet = "0123456789" if reference[position].isdigit() else "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    wrong = data.draw(st.sampled_from(alphabet).filter(lambda c: c != reference[position]))
    assert not is_creditor_reference(reference[:position] + wrong + reference[position + 1 :])


@pytest.mark.parametrize(
    "bad", ["", "RF", "RF00", "RF18", "XX18539007547034", "RF1853900754703$", "12" * 14]
)
def test_malformed_references_are_refused_BIL_4(bad: str) -> None:
    assert not is_creditor_reference(bad)
    assert not is_qr_reference(bad)


def test_payload_limits_BIL_4() -> None:
    with pytest.raises(ValueError, match="at most 26"):
        qr_reference("1" * 27)
    with pytest.raises(ValueError, match="zeros"):
        qr_reference("000")
    with pytest.raises(ValueError, match="1 to 21"):
        creditor_reference("A" * 22)
    with pytest.raises(ValueError, match="1 to 21"):
        creditor_reference("ÄB")


@given(st.integers(2000, 2999), st.integers(1, 99_999_999))
def test_each_proforma_gets_its_own_reference_per_currency_BIL_4(year: int, sequence: int) -> None:
    chf = payment_reference("CHF", year, sequence)
    eur = payment_reference("EUR", year, sequence)
    assert is_qr_reference(chf)
    assert esr.is_valid(chf)
    assert is_creditor_reference(eur)
    assert iso11649.is_valid(eur)
    assert chf != payment_reference("CHF", year, sequence + 1)
    assert compact(eur) == eur


def test_proforma_numbers_are_their_own_series_BIL_4() -> None:
    assert proforma_number(2026, 1) == "PF-2026-000001"
    with pytest.raises(ValueError, match="start at 1"):
        proforma_number(2026, 0)


def test_qr_iban_is_recognised_by_its_institution_id_BIL_4() -> None:
    assert is_qr_iban("CH44 3199 9123 0008 8901 2")
    assert not is_qr_iban("CH93 0076 2011 6238 5295 7")  # an ordinary IBAN
    assert not is_qr_iban("DE89370400440532013000")
