"""NOT-1: which events become which message, to whom, in which language, and which ones no
preference switches off."""

from konto.common.events import (
    EVENT_TYPES,
    MembershipAdded,
    MembershipAddedV1,
    OrganizationCreated,
    OrganizationCreatedV1,
)
from konto.notify.domain.mapping import concerns, people_needed, plan
from konto.notify.domain.messages import Person
from tests.support.notify_events import (
    CONSOLE,
    auth_events,
    locale_changed,
    orgs_events,
    registered,
    verification_events,
    who,
)

ANNA = who("anna@example.ch", "Anna Muster", "fr")
BRUNO = who("bruno@example.ch", "Bruno Keller", "de")
PEOPLE = {p.user_id: Person(p.user_id, p.email, p.name, p.locale, p.mobile) for p in (ANNA, BRUNO)}
SAMPLES = [
    *auth_events(ANNA),
    *orgs_events(BRUNO, ANNA, "stranger@example.ch"),
    *verification_events(ANNA, "carla@example.ch", "+41790000001", "042917"),
]
# Messages that preferences may silence; every other mapped message is a security one.
OPTIONAL = {"membership_added": "organization", "case_decided": "verification"}


def test_each_mapped_event_causes_one_message_to_the_right_address_NOT_1() -> None:
    for sample in SAMPLES:
        assert concerns(sample.event), sample.event.type
        [out] = plan(sample.event, PEOPLE, CONSOLE)
        assert (out.address, out.template, out.locale, out.channel) == (
            sample.address,
            sample.template,
            sample.locale,
            sample.channel,
        ), sample.event.type
        assert out.category == OPTIONAL.get(out.template, "security"), out.template


# Events nobody must hear about, and why; a new event type must land here or get a sample.
NOT_MAPPED = {
    "konto.auth.user.registered.v1": "feeds the people projection (address, name, language)",
    "konto.auth.user.updated.v1": "feeds the people projection (name, language, mobile)",
    "konto.auth.session.revoked.v1": "the person's own logout or revocation",
    "konto.orgs.organization.created.v1": "the founder did it",
    "konto.orgs.organization.renamed.v1": "no access changes",
    "konto.orgs.invitation.revoked.v1": "nothing to do for the invitee",
    "konto.orgs.invitation.accepted.v1": "the welcome follows membership.added",
    "konto.verification.case.open.v1": "a command to verification, not news",
    "konto.verification.case.submitted.v1": "the person just submitted it",
}
# Added to the contract while this mapping was being written: they need messages (NOT-1:
# password changed or reset, recovery e-mail change, login id), which the next part of issue 7
# maps.
NOT_YET_MAPPED = {
    "konto.auth.password_reset.requested.v1",
    "konto.auth.password.changed.v1",
    "konto.auth.recovery_email.confirmation_requested.v1",
    "konto.auth.recovery_email.changed.v1",
    "konto.auth.login_id.requested.v1",
}


def test_every_event_type_has_a_sample_or_a_reason_NOT_1() -> None:
    """A new event type of auth, orgs or verification fails here until it is mapped (with a
    sample, so the template tests cover it) or listed as nobody's news."""
    sampled = {sample.event.type for sample in SAMPLES}
    ours = {t for t in EVENT_TYPES if t.split(".")[1] in {"auth", "orgs", "verification"}}
    assert not sampled & set(NOT_MAPPED)
    undecided = ours - NOT_YET_MAPPED - sampled - set(NOT_MAPPED)
    assert not undecided, (
        f"notify has no decision for {sorted(undecided)}: map them in services/notify (with a "
        "sample in tests/support/notify_events.py) or list them here"
    )
    assert sampled | set(NOT_MAPPED) | NOT_YET_MAPPED <= ours  # no stale names


def test_invitation_to_an_address_without_account_uses_the_fallback_language_ORG_4() -> None:
    [invited, *_] = orgs_events(BRUNO, ANNA, "stranger@example.ch")
    assert people_needed(invited.event) == {ANNA.user_id}
    [out] = plan(invited.event, PEOPLE, CONSOLE)
    assert (out.recipient, out.locale) == ("stranger@example.ch", "en")
    assert out.context["inviter_name"] == "Anna Muster"
    assert out.context["accept_url"].startswith(f"{CONSOLE}/invitations/")
    assert out.security  # the only way in: always sent


def test_access_change_summarises_before_and_after_ORG_5() -> None:
    changed = orgs_events(BRUNO, ANNA, "s@example.ch")[3]
    [out] = plan(changed.event, PEOPLE, CONSOLE)
    assert out.context["before"] == {"role": "collaborator", "products": ["shop"], "billing": False}
    assert out.context["after"] == {"role": "administrator", "products": [], "billing": True}
    assert out.context["actor_name"] == "Anna Muster"
    assert not out.context["by_self"]


def test_founding_an_organization_sends_no_welcome_NOT_1() -> None:
    founded = MembershipAddedV1(
        subject="o1",
        data=MembershipAdded(
            org_id="o1",
            org_name="Anna",
            user_id=ANNA.user_id,
            role="legal_representative",
            products=[],
            billing=True,
            actor_id=ANNA.user_id,
        ),
    )
    assert not concerns(founded)
    created = OrganizationCreatedV1(
        subject="o1",
        data=OrganizationCreated(org_id="o1", name="A", created_by=ANNA.user_id, personal=True),
    )
    assert not concerns(created)


def test_unknown_people_get_nothing_but_addressed_mails_still_go_NOT_1() -> None:
    for sample in SAMPLES:
        outs = plan(sample.event, {}, CONSOLE)
        if sample.template in {"invitation", "case_opened", "case_decided", "verification_code"}:
            assert [o.address for o in outs] == [sample.address]  # addressed in the event
        else:
            assert outs == []  # nowhere to write before the projection knows the person


def test_profile_events_feed_the_projection_NOT_2() -> None:
    assert concerns(registered(ANNA))
    assert concerns(locale_changed(ANNA, "it"))
    assert plan(locale_changed(ANNA, "it"), PEOPLE, CONSOLE) == []
