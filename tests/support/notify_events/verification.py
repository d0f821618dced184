"""verification's events notify maps: case steps and decisions (NOT-1)."""

import uuid
from datetime import timedelta

from konto.common.crypto import SecretBox
from konto.common.events import (
    CaseDecided,
    CaseDecidedV1,
    CaseOpened,
    CaseOpenedV1,
    SmsCodeRequested,
    SmsCodeRequestedV1,
    utcnow,
)
from tests.support.notify_events.people import (
    CONSOLE,
    DEV_COMMAND_KEY,
    Expected,
    Who,
)


def verification_events(anna: Who, carla: str, mobile: str, code: str) -> list[Expected]:
    """A case of anna's (her profile's language), the SMS code of a case, and the outcome of a
    case of someone without an account (the case's language)."""
    case = f"case-{uuid.uuid4().hex[:12]}"
    other = f"case-{uuid.uuid4().hex[:12]}"
    now = utcnow()
    box = SecretBox.from_base64(DEV_COMMAND_KEY)
    return [
        Expected(
            CaseOpenedV1(
                subject=case,
                data=CaseOpened(
                    case_id=case,
                    reason="forgotten_password",
                    requested_by="konto/auth",
                    reference=anna.user_id,
                    user_id=anna.user_id,
                    email=anna.email,
                    locale="de",
                    case_url=f"{CONSOLE}/verify/tok-{uuid.uuid4().hex}",
                    expires_at=now + timedelta(days=2),
                ),
            ),
            anna.email,
            "case_opened",
            anna.locale,
        ),
        Expected(
            SmsCodeRequestedV1(
                subject=case,
                data=SmsCodeRequested(
                    case_id=case,
                    mobile=mobile,
                    locale="de",
                    sealed_code=box.seal(code.encode(), case.encode()),
                    expires_at=now + timedelta(minutes=10),
                ),
            ),
            mobile,
            "verification_code",
            "de",
            channel="sms",
        ),
        Expected(
            CaseDecidedV1(
                subject=other,
                data=CaseDecided(
                    case_id=other,
                    reason="blocked_order",
                    requested_by="konto/billing",
                    reference="order-1",
                    user_id=None,
                    email=carla,
                    locale="it",
                    outcome="rejected",
                    decision_reason="The ID document had expired.",
                    decided_at=now,
                ),
            ),
            carla,
            "case_decided",
            "it",
        ),
    ]
