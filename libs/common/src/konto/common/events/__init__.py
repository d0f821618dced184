"""Konto's public event contract: every model, and one typed union discriminated on `type`."""

from typing import Annotated, get_args

from pydantic import Field, TypeAdapter, ValidationError

from konto.common.events.auth import (
    AccountLocked,
    AccountLockedV1,
    AccountUnlocked,
    AccountUnlockedV1,
    AuthEventTypes,
    BackupCodesRegenerated,
    BackupCodesRegeneratedV1,
    BackupCodeUsed,
    BackupCodeUsedV1,
    LoginIdRequested,
    LoginIdRequestedV1,
    LoginSucceeded,
    LoginSucceededV1,
    MfaDisabled,
    MfaDisabledV1,
    MfaEnabled,
    MfaEnabledV1,
    PasswordChanged,
    PasswordChangedV1,
    PasswordResetRequested,
    PasswordResetRequestedV1,
    RecoveryEmailChanged,
    RecoveryEmailChangedV1,
    RecoveryEmailConfirmationRequested,
    RecoveryEmailConfirmationRequestedV1,
    SessionReuseDetected,
    SessionReuseDetectedV1,
    SessionRevoked,
    SessionRevokedV1,
    UserRegistered,
    UserRegisteredV1,
    UserUpdated,
    UserUpdatedV1,
)
from konto.common.events.billing import (
    AccountState,
    AccountStateChangedV1,
    Amount,
    BillingEventTypes,
    CancellationNotice,
    CancellationNoticeV1,
    CancellationRequested,
    CancellationRequestedV1,
    InvoiceIssued,
    InvoiceIssuedV1,
    OrderBlocked,
    OrderBlockedV1,
    OrderCancelled,
    OrderCancelledV1,
    ProductCancelled,
    ProductCancelledV1,
)
from konto.common.events.envelope import Event, EventData, utcnow, uuid7
from konto.common.events.notify import (
    NOTIFY_COMMANDS,
    NOTIFY_DELIVERIES,
    DeliveryFailed,
    DeliveryFailedV1,
    NotifyEventTypes,
    SendSmsCode,
    SendSmsCodeV1,
)
from konto.common.events.orgs import (
    InvitationAcceptedV1,
    InvitationClosed,
    InvitationCreatedV1,
    InvitationIssued,
    InvitationResentV1,
    InvitationRevokedV1,
    LogoChanged,
    LogoChangedV1,
    MemberAccess,
    MembershipAdded,
    MembershipAddedV1,
    MembershipChanged,
    MembershipChangedV1,
    MembershipRemoved,
    MembershipRemovedV1,
    OrganizationCreated,
    OrganizationCreatedV1,
    OrganizationDeleted,
    OrganizationDeletedV1,
    OrganizationRenamed,
    OrganizationRenamedV1,
    OrgsEventTypes,
)
from konto.common.events.topics import (
    AUTH_EVENTS,
    BILLING_EVENTS,
    NOTIFY_EVENTS,
    ORGS_EVENTS,
    VERIFICATION_EVENTS,
    dlq,
)
from konto.common.events.verification import (
    VERIFICATION_COMMANDS,
    CaseDecided,
    CaseDecidedV1,
    CaseOpened,
    CaseOpenedV1,
    CaseSubmitted,
    CaseSubmittedV1,
    OpenCase,
    OpenCaseV1,
    SmsCodeRequested,
    SmsCodeRequestedV1,
    VerificationEventTypes,
)

# One module per owning service, each with its `<Service>EventTypes` union; a new service's
# events join here.
AuthEvent = Annotated[AuthEventTypes, Field(discriminator="type")]
KontoEvent = Annotated[
    AuthEventTypes | OrgsEventTypes | VerificationEventTypes | NotifyEventTypes | BillingEventTypes,
    Field(discriminator="type"),
]

EVENT_TYPES: dict[str, type[Event]] = {
    model.model_fields["type"].default: model for model in get_args(get_args(KontoEvent)[0])
}

_adapter: TypeAdapter[KontoEvent] = TypeAdapter(KontoEvent)


class UnknownEventType(ValueError):
    """A well-formed envelope whose type this reader does not know (a newer producer)."""


def parse_event(raw: bytes | str) -> KontoEvent:
    """Parse one envelope. Raises UnknownEventType for types this version does not know and
    pydantic's ValidationError for anything malformed."""
    try:
        return _adapter.validate_json(raw)
    except ValidationError as exc:
        if any(err["type"] == "union_tag_invalid" for err in exc.errors()):
            raise UnknownEventType(str(exc.errors()[0].get("input", ""))[:200]) from exc
        raise


__all__ = [
    "AUTH_EVENTS",
    "BILLING_EVENTS",
    "EVENT_TYPES",
    "NOTIFY_COMMANDS",
    "NOTIFY_DELIVERIES",
    "NOTIFY_EVENTS",
    "ORGS_EVENTS",
    "VERIFICATION_COMMANDS",
    "VERIFICATION_EVENTS",
    "AccountLocked",
    "AccountLockedV1",
    "AccountState",
    "AccountStateChangedV1",
    "AccountUnlocked",
    "AccountUnlockedV1",
    "Amount",
    "AuthEvent",
    "BackupCodeUsed",
    "BackupCodeUsedV1",
    "BackupCodesRegenerated",
    "BackupCodesRegeneratedV1",
    "BillingEventTypes",
    "CancellationNotice",
    "CancellationNoticeV1",
    "CancellationRequested",
    "CancellationRequestedV1",
    "CaseDecided",
    "CaseDecidedV1",
    "CaseOpened",
    "CaseOpenedV1",
    "CaseSubmitted",
    "CaseSubmittedV1",
    "DeliveryFailed",
    "DeliveryFailedV1",
    "Event",
    "EventData",
    "InvitationAcceptedV1",
    "InvitationClosed",
    "InvitationCreatedV1",
    "InvitationIssued",
    "InvitationResentV1",
    "InvitationRevokedV1",
    "InvoiceIssued",
    "InvoiceIssuedV1",
    "KontoEvent",
    "LoginIdRequested",
    "LoginIdRequestedV1",
    "LoginSucceeded",
    "LoginSucceededV1",
    "LogoChanged",
    "LogoChangedV1",
    "MemberAccess",
    "MembershipAdded",
    "MembershipAddedV1",
    "MembershipChanged",
    "MembershipChangedV1",
    "MembershipRemoved",
    "MembershipRemovedV1",
    "MfaDisabled",
    "MfaDisabledV1",
    "MfaEnabled",
    "MfaEnabledV1",
    "OpenCase",
    "OpenCaseV1",
    "OrderBlocked",
    "OrderBlockedV1",
    "OrderCancelled",
    "OrderCancelledV1",
    "OrganizationCreated",
    "OrganizationCreatedV1",
    "OrganizationDeleted",
    "OrganizationDeletedV1",
    "OrganizationRenamed",
    "OrganizationRenamedV1",
    "PasswordChanged",
    "PasswordChangedV1",
    "PasswordResetRequested",
    "PasswordResetRequestedV1",
    "ProductCancelled",
    "ProductCancelledV1",
    "RecoveryEmailChanged",
    "RecoveryEmailChangedV1",
    "RecoveryEmailConfirmationRequested",
    "RecoveryEmailConfirmationRequestedV1",
    "SendSmsCode",
    "SendSmsCodeV1",
    "SessionReuseDetected",
    "SessionReuseDetectedV1",
    "SessionRevoked",
    "SessionRevokedV1",
    "SmsCodeRequested",
    "SmsCodeRequestedV1",
    "UnknownEventType",
    "UserRegistered",
    "UserRegisteredV1",
    "UserUpdated",
    "UserUpdatedV1",
    "dlq",
    "parse_event",
    "utcnow",
    "uuid7",
]
