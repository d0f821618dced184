"""Login identifiers and mobile numbers in their one canonical form (AUTH-1)."""

import phonenumbers
from email_validator import EmailNotValidError, validate_email

from konto.auth.domain.invalid_input import InvalidInput


class InvalidIdentifier(InvalidInput):
    pass


def normalize_email(address: str, field: str = "email") -> str:
    """Lower-case local part and the domain in its ASCII (IDNA) form, so `Anna@Bücher.CH` and
    `anna@xn--bcher-kva.ch` are the same login."""
    try:
        checked = validate_email(address.strip(), check_deliverability=False)
    except EmailNotValidError as exc:
        raise InvalidIdentifier(str(exc), field) from exc
    local = checked.local_part.lower()
    domain = checked.ascii_domain.lower()
    return f"{local}@{domain}"


def normalize_mobile(number: str, field: str = "mobile") -> str:
    """E.164, e.g. `+41791234567`; the number must carry its country code."""
    try:
        parsed = phonenumbers.parse(number, None)
    except phonenumbers.NumberParseException as exc:
        raise InvalidIdentifier(
            "a mobile number in international form, e.g. +41 79 123 45 67", field
        ) from exc
    if not phonenumbers.is_valid_number(parsed):
        raise InvalidIdentifier("not a valid mobile number", field)
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
