"""Login identifiers and mobile numbers in their one canonical form (AUTH-1)."""

import phonenumbers
from email_validator import EmailNotValidError, validate_email


class InvalidIdentifier(ValueError):
    pass


def normalize_email(address: str) -> str:
    """Lower-case local part and the domain in its ASCII (IDNA) form, so `Anna@Bücher.CH` and
    `anna@xn--bcher-kva.ch` are the same login."""
    try:
        checked = validate_email(address.strip(), check_deliverability=False)
    except EmailNotValidError as exc:
        raise InvalidIdentifier(str(exc)) from exc
    local = checked.local_part.lower()
    domain = checked.ascii_domain.lower()
    return f"{local}@{domain}"


def normalize_mobile(number: str) -> str:
    """E.164, e.g. `+41791234567`; the number must carry its country code."""
    try:
        parsed = phonenumbers.parse(number, None)
    except phonenumbers.NumberParseException as exc:
        raise InvalidIdentifier(
            "a mobile number in international form, e.g. +41 79 123 45 67"
        ) from exc
    if not phonenumbers.is_valid_number(parsed):
        raise InvalidIdentifier("not a valid mobile number")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
