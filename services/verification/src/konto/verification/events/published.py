"""The events verification announces (through the outbox) and their AsyncAPI declaration."""

from datetime import datetime

from konto.common.events import (
    VERIFICATION_EVENTS,
    CaseDecided,
    CaseDecidedV1,
    CaseOpened,
    CaseOpenedV1,
    CaseSubmitted,
    CaseSubmittedV1,
    SmsCodeRequested,
    SmsCodeRequestedV1,
)
from konto.common.events.verification import VerificationEventTypes
from konto.common.service import Runtime
from konto.verification.store.cases import Case


def declare(runtime: Runtime) -> None:
    runtime.publishes(
        VERIFICATION_EVENTS, VerificationEventTypes, "Verification case events, keyed by case id"
    )


def case_opened(case: Case, case_url: str) -> CaseOpenedV1:
    # The link carries the case's access token. It has to: the person proves nothing but
    # "I can read this mailbox", and notify (another service) writes the mail. The topic is
    # internal, the token opens only this case's steps, expires, and is stored only hashed.
    return CaseOpenedV1(
        subject=case["_id"],
        data=CaseOpened(
            case_id=case["_id"],
            reason=case["reason"],
            requested_by=case["requested_by"],
            reference=case["reference"],
            user_id=case.get("user_id"),
            email=case.get("email"),
            locale=case["locale"],
            case_url=case_url,
            expires_at=case["expires_at"],
        ),
    )


def sms_code_requested(
    case: Case, mobile: str, sealed_code: str, expires_at: datetime
) -> SmsCodeRequestedV1:
    return SmsCodeRequestedV1(
        subject=case["_id"],
        data=SmsCodeRequested(
            case_id=case["_id"],
            mobile=mobile,
            locale=case["locale"],
            sealed_code=sealed_code,
            expires_at=expires_at,
        ),
    )


def case_submitted(case: Case) -> CaseSubmittedV1:
    return CaseSubmittedV1(
        subject=case["_id"],
        data=CaseSubmitted(
            case_id=case["_id"],
            reason=case["reason"],
            priority=case["priority"],
            submitted_at=case["submitted_at"],
        ),
    )


def case_decided(case: Case) -> CaseDecidedV1:
    return CaseDecidedV1(
        subject=case["_id"],
        data=CaseDecided(
            case_id=case["_id"],
            reason=case["reason"],
            requested_by=case["requested_by"],
            reference=case["reference"],
            user_id=case.get("user_id"),
            email=case.get("email"),
            locale=case["locale"],
            outcome=case["status"],
            decision_reason=case["decision_reason"],
            decided_at=case["decided_at"],
        ),
    )
