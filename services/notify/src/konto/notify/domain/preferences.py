"""Which messages a person may switch off (NOT-1): every category except security."""

from konto.notify.domain.messages import Outgoing

SECURITY = "security"
# Categories a person may opt out of; security messages are always sent.
OPTIONAL_CATEGORIES = ("organization", "billing", "verification", "product_news")
CATEGORIES = (SECURITY, *OPTIONAL_CATEGORIES)


class LockedCategory(ValueError):
    """Security messages cannot be switched off."""


def validate_opt_outs(categories: list[str]) -> list[str]:
    """The opt-out list to store: known categories, sorted, without duplicates."""
    for category in categories:
        if category == SECURITY:
            raise LockedCategory("security messages cannot be switched off")
        if category not in OPTIONAL_CATEGORIES:
            raise ValueError(f"unknown category {category!r}")
    return sorted(set(categories))


def allows(out: Outgoing, opted_out: frozenset[str]) -> bool:
    return out.security or out.category not in opted_out
