"""Which organization a login's token speaks for (ORG-1, AUTH-11)."""

from datetime import UTC, datetime, timedelta

from konto.auth.domain.organizations import Membership, choose_org

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def _m(org_id: str, *, personal: bool = False, minutes: int = 0) -> Membership:
    return Membership(
        org_id=org_id,
        org_name=org_id,
        role="collaborator",
        personal=personal,
        joined_at=T0 + timedelta(minutes=minutes),
    )


def test_no_membership_no_org_ORG_1() -> None:
    assert choose_org([], "gone") is None


def test_last_used_org_wins_while_still_a_member_ORG_1() -> None:
    memberships = [_m("own", personal=True), _m("firm", minutes=5)]
    assert choose_org(memberships, "firm") == memberships[1]


def test_personal_org_when_last_used_is_gone_ORG_1() -> None:
    memberships = [_m("firm"), _m("own", personal=True, minutes=5)]
    chosen = choose_org(memberships, "removed")
    assert chosen is not None
    assert chosen.org_id == "own"


def test_first_joined_without_a_personal_org_ORG_1() -> None:
    chosen = choose_org([_m("late", minutes=9), _m("early", minutes=1)], None)
    assert chosen is not None
    assert chosen.org_id == "early"
