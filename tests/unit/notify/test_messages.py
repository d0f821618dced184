"""NOT-1 / NOT-2: which events become which message, rendered in every locale."""

from datetime import UTC, datetime

import pytest

from konto.common.events import LoginSucceeded, LoginSucceededV1
from konto.notify.domain.messages import LOCALES, Person, pick_locale, plan
from konto.notify.rendering import Renderer

PERSON = Person(user_id="u1", email="anna@example.ch", name="Anna", locale="fr")


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
    [out] = plan(event, PERSON, "https://console.test")
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
    assert plan(_login(new_location=False), PERSON, "https://c") == []
    assert plan(_login(new_location=True), None, "https://c") == []


def test_unknown_locale_falls_back_to_english_NOT_2() -> None:
    assert pick_locale("rm") == "en"
    assert pick_locale(None) == "en"


@pytest.mark.parametrize("locale", LOCALES)
def test_new_location_template_renders_in_every_locale_NOT_2(locale: str) -> None:
    [out] = plan(_login(new_location=True), PERSON, "https://console.test")
    context = {**out.context, "time": datetime(2026, 11, 21, 9, 30, tzinfo=UTC)}
    rendered = Renderer().render("new_location", locale, context)
    assert rendered.subject
    assert "Anna" in rendered.text
    assert "https://console.test/security/password" in rendered.text
    assert 'href="https://console.test/security/two-factor"' in rendered.html
    assert f'lang="{locale}"' in rendered.html
