"""NOT-1 / NOT-2: which events become which message, rendered in every locale."""

import re
from datetime import UTC, datetime, timedelta

import pytest

from konto.common.events import LoginSucceeded, LoginSucceededV1, SendSmsCode, SendSmsCodeV1
from konto.notify.domain.mapping import concerns, plan
from konto.notify.domain.messages import (
    LOCALES,
    Person,
    addressable,
    is_stale,
    pick_locale,
)
from konto.notify.rendering import Renderer
from konto.notify.service.commands import sms_code

PERSON = Person(user_id="u1", email="anna@example.ch", name="Anna", locale="fr")
PEOPLE = {"u1": PERSON}


def _login(new_location: bool) -> LoginSucceededV1:
    return LoginSucceededV1(
        subject="u1",
        data=LoginSucceeded(
            user_id="u1",
            session_id="s1",
            device_id="d1",
            ip="203.0.113.7",
            network="203.0.113.0/24",
            user_agent="Firefox/140.0",
            user_agent_family="Firefox",
            new_location=new_location,
            amr=["pwd"],
        ),
    )


def test_new_location_login_plans_one_security_mail_NOT_1() -> None:
    event = _login(new_location=True)
    [out] = plan(event, PEOPLE, "https://console.test")
    assert (out.channel, out.template, out.locale, out.address) == (
        "email",
        "new_location",
        "fr",
        "anna@example.ch",
    )
    assert out.security
    assert out.delivery_id == f"{event.id}:u1:email"
    assert out.context["enable_2fa_url"] == "https://console.test/security/two-factor"


def test_known_location_or_unknown_person_plans_nothing_AUTH_4() -> None:
    assert plan(_login(new_location=False), PEOPLE, "https://c") == []
    assert plan(_login(new_location=True), {}, "https://c") == []


def test_unknown_locale_falls_back_to_english_NOT_2() -> None:
    assert pick_locale("rm") == "en"
    assert pick_locale(None) == "en"


@pytest.mark.parametrize("locale", LOCALES)
def test_new_location_template_renders_in_every_locale_NOT_2(locale: str) -> None:
    [out] = plan(_login(new_location=True), PEOPLE, "https://console.test")
    context = {**out.context, "time": datetime(2026, 11, 21, 9, 30, tzinfo=UTC)}
    rendered = Renderer().render("new_location", locale, context)
    assert rendered.subject
    assert "Anna" in rendered.text
    assert "https://console.test/security/password" in rendered.text
    assert 'href="https://console.test/security/two-factor"' in rendered.html
    assert f'lang="{locale}"' in rendered.html


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("purpose", ["verification_code", "login_code", "password_reset"])
def test_sms_code_templates_render_in_every_locale_NOT_2(locale: str, purpose: str) -> None:
    text = Renderer().render_sms(purpose, locale, {"code": "042917"})
    assert "042917" in text
    assert len(text) <= 160  # one SMS segment


def test_sms_code_command_becomes_one_sealed_sms_delivery_NOT_3() -> None:
    command = SendSmsCodeV1(
        subject="case-1",
        source="konto/verification",
        data=SendSmsCode(
            purpose="login_code",
            mobile="+41791234567",
            locale="it",
            sealed_code="k1.nonce.sealed",
            expires_at=datetime(2026, 11, 21, 9, 40, tzinfo=UTC),
        ),
    )
    out = sms_code(command)
    assert out.delivery_id == f"{command.id}:+41791234567:sms"
    assert (out.channel, out.template, out.locale) == ("sms", "login_code", "it")
    assert out.context["sealed_code"] == "k1.nonce.sealed"
    assert out.context["sealed_for"] == "case-1"
    assert "code" not in out.context


def test_old_events_and_sandboxed_addresses_send_nothing_NOT_1() -> None:
    now = datetime(2026, 11, 21, 9, 30, tzinfo=UTC)
    assert is_stale(now - timedelta(days=4), now, timedelta(days=3))
    assert not is_stale(now - timedelta(hours=1), now, timedelta(days=3))
    [out] = plan(_login(new_location=True), PEOPLE, "https://c")
    assert addressable(out, None)
    assert addressable(out, re.compile(r"@example\.ch$"))
    assert not addressable(out, re.compile(r"@konto\.test$"))


def test_notify_skips_events_it_never_acts_on_NOT_1() -> None:
    assert concerns(_login(new_location=True))
    assert not concerns(_login(new_location=False))


def test_password_reset_code_command_gets_its_own_text_AUTH_6_NOT_3() -> None:
    """auth's reset codes: purpose `password_reset` (older senders' `verification_code` still
    works)."""
    command = SendSmsCodeV1(
        subject="u1",
        source="konto/auth",
        data=SendSmsCode(
            purpose="password_reset",
            mobile="+41791234567",
            locale="de",
            sealed_code="k1.nonce.sealed",
            expires_at=datetime(2026, 11, 21, 9, 40, tzinfo=UTC),
            user_id="u1",
        ),
    )
    out = sms_code(command)
    assert (out.template, out.recipient) == ("password_reset", "u1")
    text = Renderer().render_sms(out.template, out.locale, {"code": "042917"})
    assert "Passwort" in text
