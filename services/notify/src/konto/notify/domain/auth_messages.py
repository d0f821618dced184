"""auth's events a person must hear about (NOT-1): all of them security messages, which no
preference switches off, mailed to the account's owner (the address in notify's projection).
The recovery events that carry their own address are in `recovery_messages.py`."""

from konto.common.events import (
    AccountLockedV1,
    AccountUnlockedV1,
    BackupCodesRegeneratedV1,
    BackupCodeUsedV1,
    KontoEvent,
    LoginSucceededV1,
    MfaDisabledV1,
    MfaEnabledV1,
    PasswordChangedV1,
    SessionReuseDetectedV1,
)
from konto.notify.domain.messages import Outgoing, Person, email

# Event type → template; the context comes from `_context`.
TEMPLATES: dict[type, str] = {
    LoginSucceededV1: "new_location",
    MfaEnabledV1: "mfa_enabled",
    MfaDisabledV1: "mfa_disabled",
    BackupCodeUsedV1: "backup_code_used",
    BackupCodesRegeneratedV1: "backup_codes_regenerated",
    AccountLockedV1: "account_locked",
    AccountUnlockedV1: "account_unlocked",
    SessionReuseDetectedV1: "session_reuse",
    PasswordChangedV1: "password_changed",
}


def concerns(event: KontoEvent) -> bool:
    if isinstance(event, LoginSucceededV1):
        return event.data.new_location  # a known device, network and browser is no news
    return type(event) in TEMPLATES


def auth_messages(event: KontoEvent, person: Person | None, console_url: str) -> list[Outgoing]:
    if person is None or not concerns(event):
        return []  # before the projection knows the person there is nowhere to write
    links = {
        "security_url": f"{console_url}/security",
        "change_password_url": f"{console_url}/security/password",
        "enable_2fa_url": f"{console_url}/security/two-factor",
        # For someone whose password was changed by another: the way back in.
        "forgot_password_url": f"{console_url}/password-reset",
    }
    return [email(event, person, TEMPLATES[type(event)], {**links, **_context(event)})]


def _context(event: KontoEvent) -> dict[str, object]:
    if isinstance(event, LoginSucceededV1):
        data = event.data
        return {"ip": data.ip, "network": data.network, "browser": data.user_agent_family}
    if isinstance(event, MfaEnabledV1):
        return {"method": event.data.method}
    if isinstance(event, MfaDisabledV1):
        return {"method": event.data.method, "mfa_enabled": event.data.mfa_enabled}
    if isinstance(event, BackupCodeUsedV1):
        return {"remaining": event.data.remaining}
    if isinstance(event, BackupCodesRegeneratedV1):
        return {"count": event.data.count}
    if isinstance(event, AccountLockedV1):
        return {"failed_attempts": event.data.failed_attempts, "ip": event.data.ip}
    if isinstance(event, AccountUnlockedV1):
        return {"by": event.data.by}
    if isinstance(event, SessionReuseDetectedV1):
        return {"ip": event.data.ip, "user_agent": event.data.user_agent}
    if isinstance(event, PasswordChangedV1):
        # A reset (by link or code) and a change with the current password read differently.
        return {"reset": event.data.reason == "reset", "sessions_ended": event.data.sessions_ended}
    return {}
