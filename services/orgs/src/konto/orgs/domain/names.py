"""Organization names: what a person types becomes the display name (ORG-6, ORG-8 fallback)."""

import re

MAX_LENGTH = 200
_SPACES = re.compile(r"\s+")


class InvalidName(ValueError):
    pass


def clean_name(raw: str) -> str:
    name = _SPACES.sub(" ", raw).strip()
    if not name:
        raise InvalidName("the name is empty")
    if len(name) > MAX_LENGTH:
        raise InvalidName(f"at most {MAX_LENGTH} characters")
    return name
