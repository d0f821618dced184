"""auth's account-recovery events a person must hear about (NOT-1, AUTH-6, AUTH-7, AUTH-8, AUTH-10).

Most of them carry their own address, name and language: auth sends them to someone who cannot
sign in, or to an address the people projection does not hold (a new recovery address), so
they go out even before the projection knows the person. All are security messages: they
are either the way back into the account or the notice that its way back changed.

- The password-reset link goes to the address auth chose (the recovery address, else the login).
- The recovery address's confirmation link goes to the NEW address only.
- A changed recovery address is told to the login address (from the projection) and to the
  address it replaced, whose owner may be the one locked out by the change. The new address is
  shown masked: the old one may be in someone else's hands.
- A forgotten login id goes by SMS or mail, as the event's channel says.
- A retired login id (AUTH-10: its mailbox was deleted) is told by mail to the recovery address
  and by SMS to the mobile, with the generated username; the old mailbox is gone. The new
  identifier set afterwards is confirmed to that new address.
"""

from typing import Any

from konto.common.events import (
    KontoEvent,
    LoginIdChangedV1,
    LoginIdRequestedV1,
    LoginIdRetiredV1,
    PasswordResetRequestedV1,
    RecoveryEmailChangedV1,
    RecoveryEmailConfirmationRequestedV1,
)
from konto.notify.domain.messages import Outgoing, Person, email, masked_address, pick_locale

RecoveryEvent = (
    PasswordResetRequestedV1
    | RecoveryEmailConfirmationRequestedV1
    | RecoveryEmailChangedV1
    | LoginIdRequestedV1
    | LoginIdRetiredV1
    | LoginIdChangedV1
)


def concerns(event: KontoEvent) -> bool:
    return isinstance(event, RecoveryEvent)


def recovery_messages(event: KontoEvent, person: Person | None, console_url: str) -> list[Outgoing]:
    if isinstance(event, PasswordResetRequestedV1):
        reset = event.data
        context = {
            "name": reset.name,
            "reset_url": reset.reset_url,
            "expires_at": reset.expires_at,
            "after_verification": reset.requested_via == "verification",
        }
        return [
            _to(
                event,
                reset.user_id,
                "email",
                reset.email,
                "password_reset_link",
                reset.locale,
                context,
            )
        ]
    if isinstance(event, RecoveryEmailConfirmationRequestedV1):
        confirm = event.data
        context = {
            "name": confirm.name,
            "confirm_url": confirm.confirm_url,
            "expires_at": confirm.expires_at,
        }
        return [
            _to(
                event,
                confirm.user_id,
                "email",
                confirm.email,
                "recovery_email_confirm",
                confirm.locale,
                context,
            )
        ]
    if isinstance(event, LoginIdRequestedV1):
        ask = event.data
        address = ask.mobile if ask.channel == "sms" else ask.email
        if not address:
            return []
        context = {"name": ask.name, "login_id": ask.login_id}
        return [_to(event, ask.user_id, ask.channel, address, "login_id", ask.locale, context)]
    if isinstance(event, RecoveryEmailChangedV1):
        return _recovery_email_changed(event, person, console_url)
    if isinstance(event, LoginIdRetiredV1):
        return _login_id_retired(event, console_url)
    if isinstance(event, LoginIdChangedV1):
        changed = event.data
        context = {
            "name": changed.name,
            "login_id": changed.login_id,
            "previous": changed.previous,
            "security_url": f"{console_url}/security",
        }
        return [
            _to(
                event,
                changed.user_id,
                "email",
                changed.login_id,
                "login_id_changed",
                changed.locale,
                context,
            )
        ]
    return []


def _login_id_retired(event: LoginIdRetiredV1, console_url: str) -> list[Outgoing]:
    data = event.data
    context = {
        "name": data.name,
        "login_id": data.username,
        "retired_login_id": data.retired_login_id,
        "login_url": f"{console_url}/login",
    }
    channels = (("email", data.recovery_email), ("sms", data.mobile))
    return [
        _to(event, data.user_id, channel, address, "login_id_retired", data.locale, context)
        for channel, address in channels
        if address
    ]


def _recovery_email_changed(
    event: RecoveryEmailChangedV1, person: Person | None, console_url: str
) -> list[Outgoing]:
    data = event.data
    context: dict[str, Any] = {
        "recovery_email": masked_address(data.recovery_email),
        "security_url": f"{console_url}/security",
    }
    outs = []
    if person is not None:
        outs.append(
            email(event, person, "recovery_email_changed", {**context, "to_previous": False})
        )
    if data.previous and (person is None or data.previous != person.email):
        outs.append(
            Outgoing(
                event_id=event.id,
                event_type=event.type,
                recipient=data.previous,  # an address, no longer the account's
                channel="email",
                template="recovery_email_changed",
                locale=pick_locale(person.locale if person else None),
                address=data.previous,
                context={
                    "name": person.name if person else None,
                    "time": event.time,
                    **context,
                    "to_previous": True,
                },
            )
        )
    return outs


def _to(
    event: KontoEvent,
    user_id: str,
    channel: str,
    address: str,
    template: str,
    locale: str,
    context: dict[str, Any],
) -> Outgoing:
    """A message to the address the event names, in the event's language (auth's profile)."""
    return Outgoing(
        event_id=event.id,
        event_type=event.type,
        recipient=user_id,
        channel=channel,
        template=template,
        locale=pick_locale(locale),
        address=address,
        context={"time": event.time, **context},
    )
