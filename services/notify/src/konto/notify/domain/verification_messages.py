"""verification's events a person must hear about (NOT-1, VER-*): the mail with the case link,
the SMS code of the case, and the outcome.

The case link and the code are what the person is waiting for (security: always sent). The
outcome is a security message when the case was about getting into the account (password,
login id, second factor, unlock), and a `verification` message otherwise (a first payout, a
blocked order), which preferences may silence."""

from collections.abc import Mapping

from konto.common.events import CaseDecidedV1, CaseOpenedV1, KontoEvent, SmsCodeRequestedV1
from konto.notify.domain.messages import Outgoing, Person, pick_locale

ACCOUNT_REASONS = frozenset(
    {"forgotten_password", "forgotten_login_id", "mfa_deactivation", "account_unlock"}
)


def concerns(event: KontoEvent) -> bool:
    return isinstance(event, CaseOpenedV1 | CaseDecidedV1 | SmsCodeRequestedV1)


def people_needed(event: KontoEvent) -> set[str]:
    if isinstance(event, CaseOpenedV1 | CaseDecidedV1) and event.data.user_id:
        return {event.data.user_id}
    return set()


def verification_messages(event: KontoEvent, people: Mapping[str, Person]) -> list[Outgoing]:
    if isinstance(event, SmsCodeRequestedV1):
        return [_sms_code(event)]
    if not isinstance(event, CaseOpenedV1 | CaseDecidedV1):
        return []
    data = event.data
    person = people.get(data.user_id) if data.user_id else None
    address = data.email or (person.email if person else None)
    if address is None:
        return []
    context: dict[str, object] = {
        "name": person.name if person else None,
        "time": event.time,
        "reason": data.reason,
    }
    if isinstance(event, CaseOpenedV1):
        template, category = "case_opened", "security"
        context |= {"case_url": event.data.case_url, "expires_at": event.data.expires_at}
    else:
        template = "case_decided"
        category = "security" if data.reason in ACCOUNT_REASONS else "verification"
        context |= {
            "outcome": event.data.outcome,
            "decision_reason": event.data.decision_reason,
        }
    return [
        Outgoing(
            event_id=event.id,
            event_type=event.type,
            recipient=data.user_id or address,
            channel="email",
            template=template,
            # The profile's language when the case belongs to a known person, else the one the
            # case was opened in.
            locale=pick_locale(person.locale if person else data.locale),
            address=address,
            context=context,
            category=category,
        )
    ]


def _sms_code(event: SmsCodeRequestedV1) -> Outgoing:
    """The case's code, still sealed (case id as associated data): the courier opens it only
    in memory to render the SMS."""
    data = event.data
    return Outgoing(
        event_id=event.id,
        event_type=event.type,
        recipient=data.mobile,
        channel="sms",
        template="verification_code",
        locale=pick_locale(data.locale),
        address=data.mobile,
        context={
            "sealed_code": data.sealed_code,
            "sealed_for": event.subject,
            "expires_at": data.expires_at,
        },
    )
