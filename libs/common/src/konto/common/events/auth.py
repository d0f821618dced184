"""Events published by the auth service on `konto.auth.events`; subject is the user id."""

from datetime import datetime
from typing import ClassVar, Literal

from pydantic import Field

from konto.common.events.envelope import Event, EventData
from konto.common.events.topics import AUTH_EVENTS

Locale = Literal["de", "fr", "en", "it"]


class UserRegistered(EventData):
    user_id: str
    email: str = Field(description="Normalised login identifier")
    name: str
    mobile: str = Field(description="E.164")
    locale: Locale
    invitation_id: str | None = Field(
        default=None,
        description="Set when the person registered through an invitation (ORG-4): SHA-256 hex "
        "of the invitation link's token, i.e. orgs' stored token hash, not the invitation's id",
    )


class UserRegisteredV1(Event):
    topic: ClassVar[str] = AUTH_EVENTS
    type: Literal["konto.auth.user.registered.v1"] = "konto.auth.user.registered.v1"
    source: str = "konto/auth"
    data: UserRegistered


class LoginSucceeded(EventData):
    user_id: str
    session_id: str
    device_id: str = Field(description="Long-lived id the client keeps per device")
    ip: str
    network: str = Field(description="Client network: IPv4 /24 or IPv6 /48")
    user_agent: str
    user_agent_family: str
    new_location: bool = Field(description="First login from this device, network and UA family")
    amr: list[str] = Field(description="How the user authenticated, RFC 8176 values")


class LoginSucceededV1(Event):
    topic: ClassVar[str] = AUTH_EVENTS
    type: Literal["konto.auth.login.succeeded.v1"] = "konto.auth.login.succeeded.v1"
    source: str = "konto/auth"
    data: LoginSucceeded


class UserUpdated(EventData):
    user_id: str
    changes: dict[str, str] = Field(description="Changed profile fields and their new values")


class UserUpdatedV1(Event):
    topic: ClassVar[str] = AUTH_EVENTS
    type: Literal["konto.auth.user.updated.v1"] = "konto.auth.user.updated.v1"
    source: str = "konto/auth"
    data: UserUpdated


class SessionRevoked(EventData):
    user_id: str
    session_id: str
    reason: Literal["logout", "revoked"]


class SessionRevokedV1(Event):
    topic: ClassVar[str] = AUTH_EVENTS
    type: Literal["konto.auth.session.revoked.v1"] = "konto.auth.session.revoked.v1"
    source: str = "konto/auth"
    data: SessionRevoked


class SessionReuseDetected(EventData):
    """A refresh token that had already been rotated came back: the family is revoked."""

    user_id: str
    session_id: str
    family_id: str
    ip: str
    user_agent: str


class SessionReuseDetectedV1(Event):
    topic: ClassVar[str] = AUTH_EVENTS
    type: Literal["konto.auth.session.reuse_detected.v1"] = "konto.auth.session.reuse_detected.v1"
    source: str = "konto/auth"
    data: SessionReuseDetected


class AccountLocked(EventData):
    user_id: str
    failed_attempts: int
    ip: str


class AccountLockedV1(Event):
    topic: ClassVar[str] = AUTH_EVENTS
    type: Literal["konto.auth.account.locked.v1"] = "konto.auth.account.locked.v1"
    source: str = "konto/auth"
    data: AccountLocked


class AccountUnlocked(EventData):
    user_id: str
    by: Literal["admin", "verification"]


class AccountUnlockedV1(Event):
    topic: ClassVar[str] = AUTH_EVENTS
    type: Literal["konto.auth.account.unlocked.v1"] = "konto.auth.account.unlocked.v1"
    source: str = "konto/auth"
    data: AccountUnlocked


# `sms` and `push` (an enrolled authenticator device, also its offline TOTP) came later: a
# subscriber older than them refuses such events, so update it before auth starts sending them.
MfaMethod = Literal["totp", "sms", "push"]


class MfaEnabled(EventData):
    user_id: str
    method: MfaMethod


class MfaEnabledV1(Event):
    topic: ClassVar[str] = AUTH_EVENTS
    type: Literal["konto.auth.mfa.enabled.v1"] = "konto.auth.mfa.enabled.v1"
    source: str = "konto/auth"
    data: MfaEnabled


class MfaDisabled(EventData):
    user_id: str
    method: MfaMethod
    mfa_enabled: bool = Field(description="False when no second factor is left")


class MfaDisabledV1(Event):
    topic: ClassVar[str] = AUTH_EVENTS
    type: Literal["konto.auth.mfa.disabled.v1"] = "konto.auth.mfa.disabled.v1"
    source: str = "konto/auth"
    data: MfaDisabled


class BackupCodeUsed(EventData):
    user_id: str
    remaining: int


class BackupCodeUsedV1(Event):
    topic: ClassVar[str] = AUTH_EVENTS
    type: Literal["konto.auth.backup_code.used.v1"] = "konto.auth.backup_code.used.v1"
    source: str = "konto/auth"
    data: BackupCodeUsed


class BackupCodesRegenerated(EventData):
    user_id: str
    count: int


class BackupCodesRegeneratedV1(Event):
    topic: ClassVar[str] = AUTH_EVENTS
    type: Literal["konto.auth.backup_codes.regenerated.v1"] = (
        "konto.auth.backup_codes.regenerated.v1"
    )
    source: str = "konto/auth"
    data: BackupCodesRegenerated


class DeviceEnrolled(EventData):
    """An authenticator device registered its key (AUTH-9); `mfa.enabled` (method `push`)
    accompanies it."""

    user_id: str
    device_id: str
    name: str
    push: bool = Field(description="Whether the device gave a push token (else it polls)")


class DeviceEnrolledV1(Event):
    topic: ClassVar[str] = AUTH_EVENTS
    type: Literal["konto.auth.device.enrolled.v1"] = "konto.auth.device.enrolled.v1"
    source: str = "konto/auth"
    data: DeviceEnrolled


class DeviceRemoved(EventData):
    user_id: str
    device_id: str
    name: str
    reason: Literal["removed", "mfa_deactivation"] = Field(
        description="`removed` by its owner, or with every factor after an approved identity "
        "verification"
    )


class DeviceRemovedV1(Event):
    topic: ClassVar[str] = AUTH_EVENTS
    type: Literal["konto.auth.device.removed.v1"] = "konto.auth.device.removed.v1"
    source: str = "konto/auth"
    data: DeviceRemoved


class PasswordResetRequested(EventData):
    """A reset link for notify to mail (AUTH-6)."""

    user_id: str
    email: str = Field(description="Where to mail the link")
    name: str
    locale: Locale
    # The raw token travels in this event on purpose: notify must put the link in the mail,
    # and auth keeps only the token's SHA-256, so nobody else could produce it. The topic is
    # internal, the token works once and expires (`expires_at`); a newer request or the reset
    # itself makes it worthless.
    reset_url: str = Field(description="<console>/password-reset/<token>: the link to mail")
    expires_at: datetime
    requested_via: Literal["self_service", "verification"] = Field(
        description="Asked for by the person, or issued after an approved verification (VER-3)"
    )


class PasswordResetRequestedV1(Event):
    topic: ClassVar[str] = AUTH_EVENTS
    type: Literal["konto.auth.password_reset.requested.v1"] = (
        "konto.auth.password_reset.requested.v1"
    )
    source: str = "konto/auth"
    data: PasswordResetRequested


class PasswordChanged(EventData):
    user_id: str
    reason: Literal["reset", "change"] = Field(
        description="Reset by link or SMS code (AUTH-6), or changed with the current password"
    )
    sessions_ended: int = Field(description="Other sessions ended with it")


class PasswordChangedV1(Event):
    topic: ClassVar[str] = AUTH_EVENTS
    type: Literal["konto.auth.password.changed.v1"] = "konto.auth.password.changed.v1"
    source: str = "konto/auth"
    data: PasswordChanged


class RecoveryEmailConfirmationRequested(EventData):
    """A link for notify to mail to the new recovery address (AUTH-7)."""

    user_id: str
    email: str = Field(description="The new recovery address, where the link goes")
    name: str
    locale: Locale
    # The raw token travels in this event on purpose: notify must put the link in the mail and
    # auth keeps only its SHA-256. Internal topic, single use, expires; a newer request
    # replaces it.
    confirm_url: str = Field(description="<console>/recovery-email/<token>: the link to mail")
    expires_at: datetime


class RecoveryEmailConfirmationRequestedV1(Event):
    topic: ClassVar[str] = AUTH_EVENTS
    type: Literal["konto.auth.recovery_email.confirmation_requested.v1"] = (
        "konto.auth.recovery_email.confirmation_requested.v1"
    )
    source: str = "konto/auth"
    data: RecoveryEmailConfirmationRequested


class RecoveryEmailChanged(EventData):
    user_id: str
    recovery_email: str
    previous: str | None = Field(description="The address it replaced, worth a notice")


class RecoveryEmailChangedV1(Event):
    topic: ClassVar[str] = AUTH_EVENTS
    type: Literal["konto.auth.recovery_email.changed.v1"] = "konto.auth.recovery_email.changed.v1"
    source: str = "konto/auth"
    data: RecoveryEmailChanged


class LoginIdRequested(EventData):
    """Someone asked for the forgotten login id of this account (AUTH-8): notify sends it by
    SMS to the account's mobile or by mail to its recovery address."""

    user_id: str
    login_id: str
    name: str
    locale: Locale
    channel: Literal["sms", "email"]
    mobile: str | None = Field(default=None, description="E.164, for channel sms")
    email: str | None = Field(default=None, description="The recovery address, for channel email")


class LoginIdRequestedV1(Event):
    topic: ClassVar[str] = AUTH_EVENTS
    type: Literal["konto.auth.login_id.requested.v1"] = "konto.auth.login_id.requested.v1"
    source: str = "konto/auth"
    data: LoginIdRequested


class LoginIdRetired(EventData):
    """The hosted mailbox that was this account's login id is gone (AUTH-10): the account now
    logs in with a generated username until its owner sets a new identifier. notify tells the
    person by mail to the recovery address and by SMS to the mobile (the old mailbox is gone)."""

    user_id: str
    retired_login_id: str = Field(description="The deleted mailbox's address, no longer a login")
    username: str = Field(description="The generated login id (initials and digits)")
    name: str
    locale: Locale
    recovery_email: str | None = Field(default=None, description="Where the mail goes, if set")
    mobile: str | None = Field(default=None, description="E.164, where the SMS goes")
    sessions_ended: int = Field(default=0, description="Sessions ended with the old id")


class LoginIdRetiredV1(Event):
    topic: ClassVar[str] = AUTH_EVENTS
    type: Literal["konto.auth.login_id.retired.v1"] = "konto.auth.login_id.retired.v1"
    source: str = "konto/auth"
    data: LoginIdRetired


class LoginIdChanged(EventData):
    """The account has a new login identifier (an e-mail address, normalised)."""

    user_id: str
    login_id: str = Field(description="The new login identifier")
    previous: str = Field(description="The identifier it replaced")
    reason: Literal["retired"] = Field(
        description="`retired`: set at the login forced after its mailbox was deleted (AUTH-10)"
    )
    name: str
    locale: Locale


class LoginIdChangedV1(Event):
    topic: ClassVar[str] = AUTH_EVENTS
    type: Literal["konto.auth.login_id.changed.v1"] = "konto.auth.login_id.changed.v1"
    source: str = "konto/auth"
    data: LoginIdChanged


AuthEventTypes = (
    UserRegisteredV1
    | LoginSucceededV1
    | UserUpdatedV1
    | SessionRevokedV1
    | SessionReuseDetectedV1
    | AccountLockedV1
    | AccountUnlockedV1
    | MfaEnabledV1
    | MfaDisabledV1
    | BackupCodeUsedV1
    | BackupCodesRegeneratedV1
    | DeviceEnrolledV1
    | DeviceRemovedV1
    | PasswordResetRequestedV1
    | PasswordChangedV1
    | RecoveryEmailConfirmationRequestedV1
    | RecoveryEmailChangedV1
    | LoginIdRequestedV1
    | LoginIdRetiredV1
    | LoginIdChangedV1
)
