"""The verification service's contract: the command other services send on
`konto.verification.commands` to ask for a case, and the events it publishes on
`konto.verification.events` (subject = case id)."""

from datetime import datetime
from typing import ClassVar, Literal

from pydantic import Field

from konto.common.events.envelope import Event, EventData
from konto.common.events.topics import VERIFICATION_EVENTS

VERIFICATION_COMMANDS = "konto.verification.commands"

CaseReason = Literal[
    "forgotten_password",
    "forgotten_login_id",
    "mfa_deactivation",
    "account_unlock",
    "first_payout",
    "blocked_order",
]
Locale = Literal["de", "fr", "en", "it"]
Outcome = Literal["approved", "rejected"]


class OpenCase(EventData):
    reason: CaseReason
    requested_by: str = Field(description="Service that asks and acts on the outcome, e.g. auth")
    reference: str = Field(description="What the outcome applies to: a user id or an order id")
    user_id: str | None = None
    email: str = Field(description="Where the case link is mailed")
    mobile: str | None = Field(default=None, description="E.164, prefilled in the case")
    locale: Locale


class OpenCaseV1(Event):
    """Command: open a verification case (VER-1). Subject = the requester's reference."""

    topic: ClassVar[str] = VERIFICATION_COMMANDS
    type: Literal["konto.verification.case.open.v1"] = "konto.verification.case.open.v1"
    source: str = Field(description="The requesting service, e.g. konto/auth")
    data: OpenCase


class CaseOpened(EventData):
    case_id: str
    reason: CaseReason
    requested_by: str
    reference: str
    user_id: str | None
    email: str | None
    locale: Locale
    case_url: str = Field(description="Opens the case on a phone without login; a secret")
    expires_at: datetime


class CaseOpenedV1(Event):
    topic: ClassVar[str] = VERIFICATION_EVENTS
    type: Literal["konto.verification.case.opened.v1"] = "konto.verification.case.opened.v1"
    source: str = "konto/verification"
    data: CaseOpened


class SmsCodeRequested(EventData):
    case_id: str
    mobile: str = Field(description="E.164")
    locale: Locale
    sealed_code: str = Field(
        description="The code, AES-GCM sealed with the shared command key, case id as AAD"
    )
    expires_at: datetime


class SmsCodeRequestedV1(Event):
    topic: ClassVar[str] = VERIFICATION_EVENTS
    type: Literal["konto.verification.sms_code.requested.v1"] = (
        "konto.verification.sms_code.requested.v1"
    )
    source: str = "konto/verification"
    data: SmsCodeRequested


class CaseSubmitted(EventData):
    case_id: str
    reason: CaseReason
    priority: int = Field(description="1 is reviewed first")
    submitted_at: datetime


class CaseSubmittedV1(Event):
    topic: ClassVar[str] = VERIFICATION_EVENTS
    type: Literal["konto.verification.case.submitted.v1"] = "konto.verification.case.submitted.v1"
    source: str = "konto/verification"
    data: CaseSubmitted


class CaseDecided(EventData):
    case_id: str
    reason: CaseReason
    requested_by: str
    reference: str
    user_id: str | None
    email: str | None
    locale: Locale
    outcome: Outcome
    decision_reason: str = Field(description="The agent's reason, shown to the person")
    decided_at: datetime


class CaseDecidedV1(Event):
    """The requesting service acts on it: auth resets/unlocks/removes 2FA, billing unblocks."""

    topic: ClassVar[str] = VERIFICATION_EVENTS
    type: Literal["konto.verification.case.decided.v1"] = "konto.verification.case.decided.v1"
    source: str = "konto/verification"
    data: CaseDecided


VerificationEventTypes = (
    OpenCaseV1 | CaseOpenedV1 | SmsCodeRequestedV1 | CaseSubmittedV1 | CaseDecidedV1
)
