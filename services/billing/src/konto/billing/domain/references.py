"""Structured payment references for bank transfers (BIL-4): the payer copies one into the
transfer, the bank statement carries it back (camt.054 `CdtrRefInf/Ref`), and it finds the
pro-forma invoice. CHF uses the Swiss QR reference (27 digits, the last one a mod-10 recursive
check digit, what a QR-IBAN requires); EUR the ISO 11649 creditor reference (`RF` + two mod-97
check digits + up to 21 characters), what SEPA banks carry."""

import re

# The Swiss "Modulo 10 rekursiv" carry table (SIX, ESR/QR reference).
_MOD10_TABLE = (0, 9, 4, 6, 8, 2, 7, 1, 3, 5)
QR_REFERENCE_LENGTH = 27
_RF_PAYLOAD = re.compile(r"^[0-9A-Z]{1,21}$")


def mod10_recursive(digits: str) -> int:
    """The check digit of `digits` by the mod-10 recursive method."""
    if not digits.isdigit() or not digits.isascii():
        raise ValueError("digits only")
    carry = 0
    for digit in digits:
        carry = _MOD10_TABLE[(carry + int(digit)) % 10]
    return (10 - carry) % 10


def qr_reference(payload: str) -> str:
    """A QR reference for up to 26 payload digits: zero-padded, the check digit appended."""
    if len(payload) > QR_REFERENCE_LENGTH - 1:
        raise ValueError("a QR reference carries at most 26 digits")
    if not payload.strip("0"):
        raise ValueError("a QR reference must not be all zeros")
    body = payload.rjust(QR_REFERENCE_LENGTH - 1, "0")
    return f"{body}{mod10_recursive(body)}"


def is_qr_reference(reference: str) -> bool:
    reference = compact(reference)
    if len(reference) != QR_REFERENCE_LENGTH or not (reference.isdigit() and reference.isascii()):
        return False
    if not reference.strip("0"):
        return False  # banks refuse the all-zero reference
    return mod10_recursive(reference[:-1]) == int(reference[-1])


def _as_number(text: str) -> int:
    """Letters become 10..35 (A..Z), as in IBANs, so the whole can be taken mod 97."""
    return int("".join(str(int(char, 36)) for char in text))


def creditor_reference(payload: str) -> str:
    """An ISO 11649 reference `RF<check><payload>` for 1..21 characters of 0-9, A-Z."""
    payload = payload.upper()
    if not _RF_PAYLOAD.match(payload):
        raise ValueError("1 to 21 characters of 0-9 and A-Z")
    check = 98 - _as_number(f"{payload}RF00") % 97
    return f"RF{check:02d}{payload}"


def is_creditor_reference(reference: str) -> bool:
    reference = compact(reference).upper()
    if not reference.startswith("RF") or not _RF_PAYLOAD.match(reference[4:]):
        return False
    if not reference[2:4].isdigit():
        return False
    return _as_number(f"{reference[4:]}{reference[:4]}") % 97 == 1


def compact(reference: str) -> str:
    """Printed references come in groups (`21 00000 …`, `RF18 5390 …`); banks send them plain."""
    return "".join(reference.split())


def printed(reference: str) -> str:
    """As the QR-bill prints it: QR references in groups of five after the first two digits,
    creditor references in groups of four."""
    reference = compact(reference)
    if reference.upper().startswith("RF"):
        return " ".join(reference[i : i + 4] for i in range(0, len(reference), 4))
    head, rest = reference[:2], reference[2:]
    return " ".join([head, *(rest[i : i + 5] for i in range(0, len(rest), 5))])


def is_qr_iban(iban: str) -> bool:
    """A Swiss or Liechtenstein QR-IBAN: its institution id (IID) lies in 30000-31999, the only
    accounts a QR reference may be paid to."""
    iban = compact(iban).upper()
    iid = iban[4:9]
    return (
        iban[:2] in ("CH", "LI")
        and len(iban) == 21
        and iid.isdigit()
        and 30000 <= int(iid) <= 31999
    )
