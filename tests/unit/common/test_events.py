"""X-1: one versioned envelope, a typed union on `type`, readers tolerant of newer producers."""

import json
import uuid

import pytest
from pydantic import ValidationError

from konto.common.events import (
    EVENT_TYPES,
    LoginSucceededV1,
    UnknownEventType,
    UserRegistered,
    UserRegisteredV1,
    parse_event,
    uuid7,
)


def _registered() -> UserRegisteredV1:
    return UserRegisteredV1(
        subject="u1",
        data=UserRegistered(
            user_id="u1", email="a@example.ch", name="A", mobile="+41791234567", locale="it"
        ),
    )


def test_envelope_round_trip_keeps_type_and_data_X_1() -> None:
    event = _registered()
    parsed = parse_event(event.to_json())
    assert isinstance(parsed, UserRegisteredV1)
    assert parsed == event
    body = json.loads(event.to_json())
    assert body["specversion"] == "1.0"
    assert set(body) >= {"id", "type", "source", "time", "subject", "data"}


def test_unknown_type_is_told_apart_from_malformed_X_1() -> None:
    body = json.loads(_registered().to_json())
    body["type"] = "konto.auth.user.renamed.v9"
    with pytest.raises(UnknownEventType):
        parse_event(json.dumps(body))
    with pytest.raises(ValidationError):
        parse_event(b'{"type": "konto.auth.user.registered.v1", "id": "x"}')


def test_newer_minor_fields_are_accepted_X_1() -> None:
    body = json.loads(_registered().to_json())
    body["data"]["nickname"] = "Anni"
    assert isinstance(parse_event(json.dumps(body)), UserRegisteredV1)


def test_uuid7_is_version_7_and_time_ordered_X_1() -> None:
    ids = [uuid7() for _ in range(200)]
    assert all(u.version == 7 and u.variant == uuid.RFC_4122 for u in ids)
    timestamps = [u.int >> 80 for u in ids]
    assert timestamps == sorted(timestamps)


def test_every_event_type_is_registered_and_versioned_X_1() -> None:
    assert set(EVENT_TYPES) == {
        "konto.auth.user.registered.v1",
        "konto.auth.login.succeeded.v1",
        "konto.auth.user.updated.v1",
        "konto.auth.session.revoked.v1",
        "konto.auth.session.reuse_detected.v1",
        "konto.auth.account.locked.v1",
        "konto.auth.account.unlocked.v1",
        "konto.auth.mfa.enabled.v1",
        "konto.auth.mfa.disabled.v1",
        "konto.auth.backup_code.used.v1",
        "konto.auth.backup_codes.regenerated.v1",
        "konto.auth.device.enrolled.v1",
        "konto.auth.device.removed.v1",
        "konto.auth.password_reset.requested.v1",
        "konto.auth.password.changed.v1",
        "konto.auth.recovery_email.confirmation_requested.v1",
        "konto.auth.recovery_email.changed.v1",
        "konto.auth.login_id.requested.v1",
        "konto.auth.login_id.retired.v1",
        "konto.auth.login_id.changed.v1",
        "konto.mail.mailbox.deleted.v1",
        "konto.orgs.organization.created.v1",
        "konto.orgs.organization.renamed.v1",
        "konto.orgs.membership.added.v1",
        "konto.orgs.membership.changed.v1",
        "konto.orgs.membership.removed.v1",
        "konto.orgs.invitation.created.v1",
        "konto.orgs.invitation.resent.v1",
        "konto.orgs.invitation.revoked.v1",
        "konto.orgs.invitation.accepted.v1",
        "konto.orgs.organization.deleted.v1",
        "konto.orgs.organization.logo_changed.v1",
        "konto.notify.delivery.failed.v1",
        "konto.notify.sms_code.send.v1",
        "konto.notify.push.send.v1",
        "konto.verification.case.open.v1",
        "konto.verification.case.opened.v1",
        "konto.verification.sms_code.requested.v1",
        "konto.verification.case.submitted.v1",
        "konto.verification.case.decided.v1",
        "konto.billing.account.state_changed.v1",
        "konto.billing.invoice.issued.v1",
        "konto.billing.product.cancellation_requested.v1",
        "konto.billing.product.cancelled.v1",
        "konto.billing.product.ended.v1",
        "konto.billing.product.cancellation_notice.v1",
        "konto.billing.order.blocked.v1",
        "konto.billing.order.cancelled.v1",
        "konto.billing.proforma.issued.v1",
        "konto.billing.proforma.lapsed.v1",
        "konto.billing.proforma.cancelled.v1",
    }
    assert EVENT_TYPES["konto.auth.login.succeeded.v1"] is LoginSucceededV1
    for name in EVENT_TYPES:
        assert name.startswith("konto.")
        assert name.rsplit(".", 1)[1].startswith("v")
