"""NOT-1: opt-outs per category; security messages cannot be switched off."""

import pytest

from konto.notify.domain.messages import Outgoing
from konto.notify.domain.preferences import LockedCategory, allows, validate_opt_outs


def _out(category: str) -> Outgoing:
    return Outgoing(
        event_id="e1",
        event_type="konto.x.y.z.v1",
        recipient="u1",
        channel="email",
        template="t",
        locale="en",
        address="a@example.ch",
        category=category,
    )


def test_opt_outs_are_known_sorted_and_unique_NOT_1() -> None:
    assert validate_opt_outs(["billing", "organization", "billing"]) == ["billing", "organization"]
    with pytest.raises(ValueError, match="unknown category"):
        validate_opt_outs(["newsletter"])


def test_security_cannot_be_switched_off_NOT_1() -> None:
    with pytest.raises(LockedCategory):
        validate_opt_outs(["security"])
    assert allows(_out("security"), frozenset({"security", "billing"}))


def test_opted_out_category_is_not_sent_NOT_1() -> None:
    assert not allows(_out("billing"), frozenset({"billing"}))
    assert allows(_out("billing"), frozenset({"organization"}))
