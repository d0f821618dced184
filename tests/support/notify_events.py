"""One real event of every kind notify maps to a message (NOT-1), built with the contract's
models, with the message each should cause: shared by notify's unit tests (plan and render)
and its e2e test (publish to the real topics, read Mailpit and the SMS sink)."""

import uuid
from dataclasses import dataclass
from datetime import timedelta

from konto.common.crypto import SecretBox
from konto.common.events import (
    AccountLocked,
    AccountLockedV1,
    AccountUnlocked,
    AccountUnlockedV1,
    Amount,
    BackupCodesRegenerated,
    BackupCodesRegeneratedV1,
    BackupCodeUsed,
    BackupCodeUsedV1,
    CancellationNotice,
    CancellationNoticeV1,
    CancellationRequested,
    CancellationRequestedV1,
    CaseDecided,
    CaseDecidedV1,
    CaseOpened,
    CaseOpenedV1,
    Event,
    InvitationCreatedV1,
    InvitationIssued,
    InvitationResentV1,
    InvoiceIssued,
    InvoiceIssuedV1,
    LoginIdChanged,
    LoginIdChangedV1,
    LoginIdRequested,
    LoginIdRequestedV1,
    LoginIdRetired,
    LoginIdRetiredV1,
    LoginSucceeded,
    LoginSucceededV1,
    MemberAccess,
    MembershipAdded,
    MembershipAddedV1,
    MembershipChanged,
    MembershipChangedV1,
    MembershipRemoved,
    MembershipRemovedV1,
    MfaDisabled,
    MfaDisabledV1,
    MfaEnabled,
    MfaEnabledV1,
    OrderBlocked,
    OrderBlockedV1,
    OrderCancelled,
    OrderCancelledV1,
    PasswordChanged,
    PasswordChangedV1,
    PasswordResetRequested,
    PasswordResetRequestedV1,
    ProductCancelled,
    ProductCancelledV1,
    ProformaIssued,
    ProformaIssuedV1,
    ProformaLapsed,
    ProformaLapsedV1,
    RecoveryEmailChanged,
    RecoveryEmailChangedV1,
    RecoveryEmailConfirmationRequested,
    RecoveryEmailConfirmationRequestedV1,
    SessionReuseDetected,
    SessionReuseDetectedV1,
    SmsCodeRequested,
    SmsCodeRequestedV1,
    UserRegistered,
    UserRegisteredV1,
    UserUpdated,
    UserUpdatedV1,
    utcnow,
)

DEV_COMMAND_KEY = "a29udG8tZGV2LW9ubHktZW5jcnlwdGlvbi1rZXkhISE="
CONSOLE = "https://console.test"


@dataclass(frozen=True)
class Who:
    user_id: str
    email: str
    name: str
    locale: str
    mobile: str = "+41791234567"


def who(email: str, name: str, locale: str, mobile: str = "+41791234567") -> Who:
    return Who(f"u-{uuid.uuid4().hex[:12]}", email, name, locale, mobile)


def registered(person: Who) -> UserRegisteredV1:
    return UserRegisteredV1(
        subject=person.user_id,
        data=UserRegistered(
            user_id=person.user_id,
            email=person.email,
            name=person.name,
            mobile=person.mobile,
            locale=person.locale,  # type: ignore[arg-type]
        ),
    )


def locale_changed(person: Who, locale: str) -> UserUpdatedV1:
    return UserUpdatedV1(
        subject=person.user_id,
        data=UserUpdated(user_id=person.user_id, changes={"locale": locale}),
    )


@dataclass(frozen=True)
class Expected:
    """What one event must cause: one message to `address` on `channel` in `locale`."""

    event: Event
    address: str
    template: str
    locale: str
    channel: str = "email"


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


def billing_events(anna: Who, bruno: Who) -> list[Expected]:
    """An invoice anna paid (to her, the payer); bruno cancels a product (the link and the
    confirmation to him) and anna, another administrator, is told (BIL-5, BIL-7); bruno's
    order is held (to billing's copy of his address, in his language) and later cancelled and
    refunded (BIL-6)."""
    org = f"org-{uuid.uuid4().hex[:12]}"
    product = f"prod-{uuid.uuid4().hex[:8]}"
    ends_on = (utcnow() + timedelta(days=90)).date()
    invoice = InvoiceIssuedV1(
        subject=org,
        data=InvoiceIssued(
            invoice_id=str(uuid.uuid4()),
            org_id=org,
            number="2026-000042",
            total=Amount(minor=12345, currency="CHF"),
            status="paid",
            issued_by=anna.user_id,
        ),
    )
    requested = CancellationRequestedV1(
        subject=org,
        data=CancellationRequested(
            org_id=org,
            product_id=product,
            product_type="hosting.web",
            label="web-muster",
            requested_by=bruno.user_id,
            confirm_url=f"{CONSOLE}/billing/cancellation/tok-{uuid.uuid4().hex}",
            expires_at=utcnow() + timedelta(days=2),
        ),
    )
    cancelled = ProductCancelledV1(
        subject=org,
        data=ProductCancelled(
            org_id=org,
            product_id=product,
            product_type="hosting.web",
            label="web-muster",
            ends_on=ends_on,
            confirmed_by=bruno.user_id,
        ),
    )
    notice = CancellationNoticeV1(
        subject=org,
        data=CancellationNotice(
            org_id=org,
            product_id=product,
            label="web-muster",
            ends_on=ends_on,
            cancelled_by=bruno.user_id,
            recipients=[anna.user_id],
        ),
    )
    order = f"order-{uuid.uuid4().hex[:8]}"
    blocked = OrderBlockedV1(
        subject=org,
        data=OrderBlocked(
            org_id=org,
            order_id=order,
            buyer_id=bruno.user_id,
            buyer_email=bruno.email,
            locale=bruno.locale,  # type: ignore[arg-type]
            total=Amount(minor=99_000, currency="EUR"),
            reasons=["new_org_total"],
            cancel_after=utcnow() + timedelta(days=10),
        ),
    )
    order_cancelled = OrderCancelledV1(
        subject=org,
        data=OrderCancelled(
            org_id=org,
            order_id=order,
            buyer_id=bruno.user_id,
            refunded=Amount(minor=99_000, currency="EUR"),
            reason="verification_rejected",
        ),
    )
    proforma = ProformaIssuedV1(
        subject=org,
        data=ProformaIssued(
            proforma_id=str(uuid.uuid4()),
            org_id=org,
            number="PF-2026-000007",
            total=Amount(minor=12842, currency="CHF"),
            reference="000000000000002026000000070",
            iban="CH4431999123000889012",
            creditor="Konto Hosting AG",
            issued_by=anna.user_id,
        ),
    )
    lapsed = ProformaLapsedV1(
        subject=org,
        data=ProformaLapsed(
            proforma_id=proforma.data.proforma_id,
            org_id=org,
            number="PF-2026-000007",
            total=Amount(minor=12842, currency="CHF"),
            order_id=str(uuid.uuid4()),
            issued_by=anna.user_id,
            issued_at=utcnow() - timedelta(days=31),
            payment_days=30,
        ),
    )
    return [
        Expected(invoice, anna.email, "invoice_issued", anna.locale),
        Expected(proforma, anna.email, "proforma_issued", anna.locale),
        Expected(lapsed, anna.email, "proforma_lapsed", anna.locale),
        Expected(blocked, bruno.email, "order_blocked", bruno.locale),
        Expected(order_cancelled, bruno.email, "order_cancelled", bruno.locale),
        Expected(requested, bruno.email, "cancellation_requested", bruno.locale),
        Expected(cancelled, bruno.email, "product_cancelled", bruno.locale),
        Expected(notice, anna.email, "cancellation_notice", anna.locale),
    ]


def orgs_events(bruno: Who, anna: Who, stranger: str) -> list[Expected]:
    """anna (an administrator) invites a stranger (no account: fallback language) and bruno
    (an account: his language), and changes and then ends bruno's membership."""
    org = f"org-{uuid.uuid4().hex[:12]}"
    expires = utcnow() + timedelta(days=7)

    def issued(email: str, existing: str | None) -> InvitationIssued:
        return InvitationIssued(
            invitation_id=f"inv-{uuid.uuid4().hex[:12]}",
            org_id=org,
            org_name="Muster & Co AG",
            email=email,
            role="collaborator",
            products=["shop"],
            billing=False,
            invited_by=anna.user_id,
            invited_by_name=anna.name,
            existing_user_id=existing,
            expires_at=expires,
            accept_url=f"{CONSOLE}/invitations/tok-{uuid.uuid4().hex}",
        )

    before = MemberAccess(role="collaborator", products=["shop"], billing=False)
    after = MemberAccess(role="administrator", products=[], billing=True)
    member = {"org_id": org, "org_name": "Muster & Co AG", "user_id": bruno.user_id}
    return [
        Expected(
            InvitationCreatedV1(subject=org, data=issued(stranger, None)),
            stranger,
            "invitation",
            "en",
        ),
        Expected(
            InvitationResentV1(subject=org, data=issued(bruno.email, bruno.user_id)),
            bruno.email,
            "invitation",
            bruno.locale,
        ),
        Expected(
            MembershipAddedV1(
                subject=org,
                data=MembershipAdded(
                    **member,
                    **before.model_dump(),
                    actor_id=bruno.user_id,
                    invitation_id="inv-1",
                ),
            ),
            bruno.email,
            "membership_added",
            bruno.locale,
        ),
        Expected(
            MembershipChangedV1(
                subject=org,
                data=MembershipChanged(
                    **member,
                    **after.model_dump(),
                    before=before,
                    after=after,
                    actor_id=anna.user_id,
                ),
            ),
            bruno.email,
            "membership_changed",
            bruno.locale,
        ),
        Expected(
            MembershipRemovedV1(
                subject=org,
                data=MembershipRemoved(**member, **after.model_dump(), actor_id=anna.user_id),
            ),
            bruno.email,
            "membership_removed",
            bruno.locale,
        ),
    ]


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
