"""NOT-1: which events become which message, to whom, in which language, and which ones no
preference switches off."""

import bson

from konto.common.events import (
    EVENT_TYPES,
    CancellationNoticeV1,
    InvitationCreatedV1,
    InvitationIssued,
    LoginIdRetiredV1,
    MembershipAdded,
    MembershipAddedV1,
    OrderBlockedV1,
    OrganizationCreated,
    OrganizationCreatedV1,
    RecoveryEmailChanged,
    RecoveryEmailChangedV1,
)
from konto.notify.domain.mapping import concerns, people_needed, plan
from konto.notify.domain.messages import Person
from tests.support.notify_events import (
    CONSOLE,
    Expected,
    auth_events,
    billing_events,
    locale_changed,
    orgs_events,
    recovery_events,
    registered,
    retired_login_id_events,
    verification_events,
    who,
)

ANNA = who("anna@example.ch", "Anna Muster", "fr")
BRUNO = who("bruno@example.ch", "Bruno Keller", "de")
PEOPLE = {p.user_id: Person(p.user_id, p.email, p.name, p.locale, p.mobile) for p in (ANNA, BRUNO)}
SAMPLES = [
    *auth_events(ANNA),
    *retired_login_id_events(ANNA),
    *orgs_events(BRUNO, ANNA, "stranger@example.ch"),
    *verification_events(ANNA, "carla@example.ch", "+41790000001", "042917"),
    *billing_events(ANNA, BRUNO),
]
# Messages that preferences may silence; every other mapped message is a security one.
OPTIONAL = {
    "membership_added": "organization",
    "case_decided": "verification",
    "invoice_issued": "billing",
    "proforma_issued": "billing",
    "proforma_lapsed": "billing",
    "product_cancelled": "billing",
    "order_cancelled": "billing",
}


def test_each_mapped_event_causes_one_message_to_the_right_address_NOT_1() -> None:
    """One message per sample; an event with several samples (AUTH-10: mail and SMS) causes
    exactly those."""
    by_event: dict[str, list[Expected]] = {}
    for sample in SAMPLES:
        by_event.setdefault(sample.event.id, []).append(sample)
    for samples in by_event.values():
        event = samples[0].event
        assert concerns(event), event.type
        outs = plan(event, PEOPLE, CONSOLE)
        assert sorted((o.address, o.template, o.locale, o.channel) for o in outs) == sorted(
            (s.address, s.template, s.locale, s.channel) for s in samples
        ), event.type
        for out in outs:
            assert out.category == OPTIONAL.get(out.template, "security"), out.template
            bson.encode(out.context)  # the delivery row stores it: only BSON types (no `date`)


# Events nobody must hear about, and why; a new event type must land here or get a sample.
NOT_MAPPED = {
    "konto.auth.user.registered.v1": "feeds the people projection (address, name, language)",
    "konto.auth.user.updated.v1": "feeds the people projection (name, language, mobile)",
    "konto.auth.session.revoked.v1": "the person's own logout or revocation",
    "konto.auth.device.enrolled.v1": "mfa.enabled (method push) comes with it and is mailed",
    "konto.auth.device.removed.v1": "mfa.disabled (method push) comes with it and is mailed",
    "konto.orgs.organization.created.v1": "the founder did it",
    "konto.orgs.organization.renamed.v1": "no access changes",
    "konto.orgs.organization.logo_changed.v1": "no access changes",
    "konto.orgs.organization.deleted.v1": "each member got membership.removed just before",
    "konto.orgs.invitation.revoked.v1": "nothing to do for the invitee",
    "konto.orgs.invitation.accepted.v1": "the welcome follows membership.added",
    "konto.verification.case.open.v1": "a command to verification, not news",
    "konto.verification.case.submitted.v1": "the person just submitted it",
    "konto.billing.account.state_changed.v1": "state for orgs' deletion check (ORG-7)",
    "konto.billing.product.ended.v1": "the member was told at confirmation; owners act on it",
    "konto.billing.proforma.cancelled.v1": "the member cancelled it themselves (BIL-4)",
}
SERVICES = {"auth", "orgs", "verification", "billing"}


def test_every_event_type_has_a_sample_or_a_reason_NOT_1() -> None:
    """A new event type of auth, orgs, verification or billing fails here until it is mapped
    (with a sample, so the template tests cover it) or listed as nobody's news."""
    sampled = {sample.event.type for sample in SAMPLES}
    ours = {t for t in EVENT_TYPES if t.split(".")[1] in SERVICES}
    assert not sampled & set(NOT_MAPPED)
    undecided = ours - sampled - set(NOT_MAPPED)
    assert not undecided, (
        f"notify has no decision for {sorted(undecided)}: map them in services/notify (with a "
        "sample in tests/support/notify_events.py) or list them here"
    )
    assert sampled | set(NOT_MAPPED) <= ours  # no stale names


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


# Messages whose event carries the address itself.
ADDRESSED = {
    "invitation",
    "case_opened",
    "case_decided",
    "verification_code",
    "password_reset_link",
    "recovery_email_confirm",
    "login_id",
    "login_id_retired",
    "login_id_changed",
    "order_blocked",
}


def test_retired_login_id_without_recovery_address_is_only_texted_AUTH_10() -> None:
    [retired, *_] = retired_login_id_events(ANNA)
    assert isinstance(retired.event, LoginIdRetiredV1)
    event = retired.event.model_copy(
        update={"data": retired.event.data.model_copy(update={"recovery_email": None})}
    )
    [out] = plan(event, {}, CONSOLE)  # the old mailbox is gone: nothing goes there
    assert (out.channel, out.address, out.template) == ("sms", ANNA.mobile, "login_id_retired")
    assert out.context["login_id"] == "am004217"
    assert out.locale == "fr"


def test_unknown_people_get_nothing_but_addressed_mails_still_go_NOT_1() -> None:
    for sample in SAMPLES:
        outs = plan(sample.event, {}, CONSOLE)
        if sample.template in ADDRESSED:
            # addressed in the event
            assert [o.address for o in outs if o.channel == sample.channel] == [sample.address]
        else:
            assert outs == []  # nowhere to write before the projection knows the person


def test_profile_events_feed_the_projection_NOT_2() -> None:
    assert concerns(registered(ANNA))
    assert concerns(locale_changed(ANNA, "it"))
    assert plan(locale_changed(ANNA, "it"), PEOPLE, CONSOLE) == []


def test_password_reset_link_goes_where_auth_says_in_its_language_AUTH_6_NOT_1() -> None:
    [reset, changed, *_] = recovery_events(ANNA)
    [out] = plan(reset.event, {}, CONSOLE)  # carries its address: no projection needed
    assert (out.address, out.locale, out.recipient) == (ANNA.email, "fr", ANNA.user_id)
    assert out.context["reset_url"].startswith(f"{CONSOLE}/password-reset/")
    assert out.security
    [notice] = plan(changed.event, PEOPLE, CONSOLE)
    assert notice.context["reset"] is True
    assert notice.context["forgot_password_url"] == f"{CONSOLE}/password-reset"


def test_changed_recovery_address_is_told_to_the_login_and_the_old_address_AUTH_7() -> None:
    event = RecoveryEmailChangedV1(
        subject=ANNA.user_id,
        data=RecoveryEmailChanged(
            user_id=ANNA.user_id, recovery_email="new.anna@example.org", previous="old@example.org"
        ),
    )
    to_login, to_old = plan(event, PEOPLE, CONSOLE)
    assert (to_login.address, to_login.context["to_previous"]) == (ANNA.email, False)
    assert (to_old.address, to_old.recipient, to_old.context["to_previous"]) == (
        "old@example.org",
        "old@example.org",
        True,
    )
    assert to_old.locale == "fr"  # the account's language
    assert to_login.delivery_id != to_old.delivery_id
    assert to_old.context["recovery_email"] == "n***@example.org"  # masked for the old owner
    [only_old] = plan(event, {}, CONSOLE)  # the old address is in the event itself
    assert (only_old.address, only_old.locale) == ("old@example.org", "en")


def test_login_id_goes_by_the_channel_the_event_names_AUTH_8() -> None:
    by_sms, by_mail = recovery_events(ANNA)[-2:]
    [sms] = plan(by_sms.event, {}, CONSOLE)
    [mail] = plan(by_mail.event, {}, CONSOLE)
    assert (sms.channel, sms.address, sms.template) == ("sms", ANNA.mobile, "login_id")
    assert (mail.channel, mail.address) == ("email", by_mail.address)
    assert mail.address != ANNA.email  # the recovery address
    assert sms.context["login_id"] == mail.context["login_id"] == ANNA.email
    assert sms.delivery_id != mail.delivery_id


def test_invoice_goes_to_the_payer_as_a_billing_message_BIL_5_NOT_1() -> None:
    [sample, *_] = billing_events(ANNA, BRUNO)
    assert people_needed(sample.event) == {ANNA.user_id}
    [out] = plan(sample.event, PEOPLE, CONSOLE)
    assert (out.address, out.category, out.security) == (ANNA.email, "billing", False)
    assert out.context["total"] == "CHF 123.45"
    assert out.context["number"] == "2026-000042"
    assert plan(sample.event, {}, CONSOLE) == []  # an unknown payer: nowhere to write


def test_invitation_uses_its_own_locale_when_orgs_sends_one_ORG_4() -> None:
    """orgs may add `locale` to invitations; until then (and for old events) the fallback."""
    [invited, *_] = orgs_events(BRUNO, ANNA, "stranger@example.ch")
    assert isinstance(invited.event, InvitationCreatedV1)
    data = InvitationIssued(**{**invited.event.data.model_dump(), "locale": "it"})
    with_locale = invited.event.model_copy(update={"data": data})
    [out] = plan(with_locale, PEOPLE, CONSOLE)
    assert out.locale == "it"
    [fallback] = plan(invited.event, PEOPLE, CONSOLE)
    assert fallback.locale == "en"


def test_cancellation_notice_goes_to_each_other_administrator_once_BIL_7() -> None:
    *_, notice = billing_events(ANNA, BRUNO)
    assert isinstance(notice.event, CancellationNoticeV1)
    data = notice.event.data.model_copy(
        update={"recipients": [ANNA.user_id, BRUNO.user_id, ANNA.user_id, "u-unknown"]}
    )
    event = notice.event.model_copy(update={"data": data})
    [out] = plan(event, PEOPLE, CONSOLE)  # not the one who cancelled, nobody twice or unknown
    assert (out.address, out.security) == (ANNA.email, True)
    assert out.context["actor_name"] == BRUNO.name


def test_blocked_order_reaches_the_buyer_without_the_fraud_rules_BIL_6() -> None:
    blocked = next(e for e in billing_events(ANNA, BRUNO) if e.template == "order_blocked")
    assert isinstance(blocked.event, OrderBlockedV1)
    [out] = plan(blocked.event, PEOPLE, CONSOLE)
    assert (out.address, out.locale, out.security) == (BRUNO.email, "de", True)
    assert out.context["total"] == "EUR 990.00"
    assert "reasons" not in out.context  # the rules an order matched are not told
    no_address = blocked.event.data.model_copy(update={"buyer_email": None, "locale": "it"})
    event = blocked.event.model_copy(update={"data": no_address})
    [from_profile] = plan(event, PEOPLE, CONSOLE)
    assert (from_profile.address, from_profile.locale) == (BRUNO.email, "de")
    assert plan(event, {}, CONSOLE) == []  # no address anywhere
