"""auth's events notify maps: sign-ins, second factors, recovery, login ids (NOT-1)."""

import uuid
from datetime import timedelta

from konto.common.events import (
    AccountLocked,
    AccountLockedV1,
    AccountUnlocked,
    AccountUnlockedV1,
    BackupCodesRegenerated,
    BackupCodesRegeneratedV1,
    BackupCodeUsed,
    BackupCodeUsedV1,
    Event,
    LoginIdChanged,
    LoginIdChangedV1,
    LoginIdRequested,
    LoginIdRequestedV1,
    LoginIdRetired,
    LoginIdRetiredV1,
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
    utcnow,
)
from tests.support.notify_events.people import (
    CONSOLE,
    Expected,
    Who,
)


def auth_events(anna: Who) -> list[Expected]:
    """Security events of anna's account; all mailed to her, in her profile's language."""
    u = anna.user_id
    events: list[Event] = [
        LoginSucceededV1(
            subject=u,
            data=LoginSucceeded(
                user_id=u,
                session_id="s1",
                device_id="d1",
                ip="203.0.113.7",
                network="203.0.113.0/24",
                user_agent="Firefox/140.0",
                user_agent_family="Firefox",
                new_location=True,
                amr=["pwd"],
            ),
        ),
        MfaEnabledV1(subject=u, data=MfaEnabled(user_id=u, method="totp")),
        MfaDisabledV1(subject=u, data=MfaDisabled(user_id=u, method="totp", mfa_enabled=False)),
        BackupCodeUsedV1(subject=u, data=BackupCodeUsed(user_id=u, remaining=7)),
        BackupCodesRegeneratedV1(subject=u, data=BackupCodesRegenerated(user_id=u, count=10)),
        AccountLockedV1(
            subject=u, data=AccountLocked(user_id=u, failed_attempts=10, ip="198.51.100.9")
        ),
        AccountUnlockedV1(subject=u, data=AccountUnlocked(user_id=u, by="verification")),
        SessionReuseDetectedV1(
            subject=u,
            data=SessionReuseDetected(
                user_id=u, session_id="s1", family_id="f1", ip="198.51.100.9", user_agent="curl"
            ),
        ),
    ]
    templates = [
        "new_location",
        "mfa_enabled",
        "mfa_disabled",
        "backup_code_used",
        "backup_codes_regenerated",
        "account_locked",
        "account_unlocked",
        "session_reuse",
    ]
    return [
        *(
            Expected(event, anna.email, template, anna.locale)
            for event, template in zip(events, templates, strict=True)
        ),
        *recovery_events(anna),
    ]


def recovery_events(anna: Who) -> list[Expected]:
    """anna resets her password (link, then the notice), sets a recovery address (link to
    it, then the notice to her login) and asks for her login id by SMS and by mail; the events
    carry her language, as auth knows it."""
    u, locale = anna.user_id, anna.locale
    # The new recovery address: the same mail domain, but not containing anna's address (a
    # Mailpit search for hers would find it).
    recovery = f"rec.{uuid.uuid4().hex[:8]}@{anna.email.rsplit('@', 1)[1]}"
    expires = utcnow() + timedelta(hours=1)
    token = uuid.uuid4().hex

    def login_id(channel: str) -> LoginIdRequestedV1:
        return LoginIdRequestedV1(
            subject=u,
            data=LoginIdRequested(
                user_id=u,
                login_id=anna.email,
                name=anna.name,
                locale=locale,  # type: ignore[arg-type]
                channel=channel,  # type: ignore[arg-type]
                mobile=anna.mobile if channel == "sms" else None,
                email=recovery if channel == "email" else None,
            ),
        )

    return [
        Expected(
            PasswordResetRequestedV1(
                subject=u,
                data=PasswordResetRequested(
                    user_id=u,
                    email=anna.email,
                    name=anna.name,
                    locale=locale,  # type: ignore[arg-type]
                    reset_url=f"{CONSOLE}/password-reset/{token}",
                    expires_at=expires,
                    requested_via="self_service",
                ),
            ),
            anna.email,
            "password_reset_link",
            locale,
        ),
        Expected(
            PasswordChangedV1(
                subject=u, data=PasswordChanged(user_id=u, reason="reset", sessions_ended=2)
            ),
            anna.email,
            "password_changed",
            locale,
        ),
        Expected(
            RecoveryEmailConfirmationRequestedV1(
                subject=u,
                data=RecoveryEmailConfirmationRequested(
                    user_id=u,
                    email=recovery,
                    name=anna.name,
                    locale=locale,  # type: ignore[arg-type]
                    confirm_url=f"{CONSOLE}/recovery-email/{token}",
                    expires_at=expires,
                ),
            ),
            recovery,
            "recovery_email_confirm",
            locale,
        ),
        Expected(
            RecoveryEmailChangedV1(
                subject=u,
                data=RecoveryEmailChanged(user_id=u, recovery_email=recovery, previous=None),
            ),
            anna.email,
            "recovery_email_changed",
            locale,
        ),
        Expected(login_id("sms"), anna.mobile, "login_id", locale, channel="sms"),
        Expected(login_id("email"), recovery, "login_id", locale),
    ]


def retired_login_id_events(anna: Who) -> list[Expected]:
    """anna's login mailbox is deleted (AUTH-10): one event, a mail to her recovery address and
    an SMS to her mobile; then she sets a new login id, confirmed to that new address. Kept out
    of `auth_events`, whose users expect one message per event."""
    u, locale = anna.user_id, anna.locale
    domain = anna.email.rsplit("@", 1)[1]
    recovery = f"rec.{uuid.uuid4().hex[:8]}@{domain}"
    new_id = f"new.{uuid.uuid4().hex[:8]}@{domain}"
    retired = LoginIdRetiredV1(
        subject=u,
        data=LoginIdRetired(
            user_id=u,
            retired_login_id=anna.email,
            username="am004217",
            name=anna.name,
            locale=locale,  # type: ignore[arg-type]
            recovery_email=recovery,
            mobile=anna.mobile,
            sessions_ended=1,
        ),
    )
    changed = LoginIdChangedV1(
        subject=u,
        data=LoginIdChanged(
            user_id=u,
            login_id=new_id,
            previous="am004217",
            reason="retired",
            name=anna.name,
            locale=locale,  # type: ignore[arg-type]
        ),
    )
    return [
        Expected(retired, recovery, "login_id_retired", locale),
        Expected(retired, anna.mobile, "login_id_retired", locale, channel="sms"),
        Expected(changed, new_id, "login_id_changed", locale),
    ]
