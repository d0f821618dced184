"""NOT-2: every template exists in every locale and renders there with StrictUndefined from the
context its mapping gives; adding a template without all locales, or using a key no mapping
provides, fails here."""

from datetime import UTC, datetime
from pathlib import Path
from typing import Any, get_args

import pytest
from jinja2 import meta

from konto.common.events import MfaEnabled, MfaEnabledV1, SendPush, SendPushV1, SendSmsCode
from konto.notify.domain.mapping import plan
from konto.notify.domain.messages import LOCALES, Outgoing, Person
from konto.notify.rendering import Renderer
from konto.notify.service.commands import push
from tests.support.notify_events import (
    CONSOLE,
    Expected,
    auth_events,
    billing_events,
    orgs_events,
    retired_login_id_events,
    verification_events,
    who,
)

TEMPLATES = Path(__file__).parents[3] / "services/notify/src/konto/notify/templates"
ANNA = who("anna@example.ch", "Anna Muster", "fr")
BRUNO = who("bruno@example.ch", "Bruno <b>Keller</b>", "de")  # markup in a name is escaped
SAMPLES: list[Expected] = [
    *auth_events(ANNA),
    *retired_login_id_events(ANNA),
    *orgs_events(BRUNO, ANNA, "stranger@example.ch"),
    *verification_events(ANNA, "carla@example.ch", "+41790000001", "042917"),
    *billing_events(ANNA, BRUNO),
]
PEOPLE = {p.user_id: Person(p.user_id, p.email, p.name, p.locale, p.mobile) for p in (ANNA, BRUNO)}
# konto.notify.commands: one SMS template per purpose of SendSmsCode
SMS_COMMAND_TEMPLATES = set(get_args(SendSmsCode.model_fields["purpose"].annotation))
# ... and one push title and body per template of SendPush (AUTH-9)
PUSH_COMMAND_TEMPLATES = set(get_args(SendPush.model_fields["template"].annotation))


def _planned() -> list[Outgoing]:
    return [out for sample in SAMPLES for out in plan(sample.event, PEOPLE, CONSOLE)]


def _names(locale: str) -> set[str]:
    return {p.name for p in (TEMPLATES / locale).iterdir()}


def test_every_locale_has_every_template_file_NOT_2() -> None:
    every = set().union(*(_names(locale) for locale in LOCALES))
    missing = {locale: sorted(every - _names(locale)) for locale in LOCALES}
    assert all(not files for files in missing.values()), missing


def test_every_template_on_disk_is_used_by_a_mapping_NOT_2() -> None:
    """A template no mapping uses is dead, and one a mapping uses must be on disk: the samples
    cover every mapped event (see test_mapping.py)."""
    on_disk = {name.split(".")[0] for name in _names("en") if not name.startswith("_")}
    used = {out.template for out in _planned()} | SMS_COMMAND_TEMPLATES | PUSH_COMMAND_TEMPLATES
    assert on_disk == used


def _context(out: Outgoing) -> dict[str, Any]:
    context = dict(out.context)
    if "sealed_code" in context:  # the courier opens it just before rendering
        context["code"] = "042917"
    return context


@pytest.mark.parametrize("locale", LOCALES)
def test_every_mapped_message_renders_in_every_locale_NOT_2(locale: str) -> None:
    renderer = Renderer()
    for out in _planned():
        context = _context(out)
        if out.channel == "sms":
            text = renderer.render_sms(out.template, locale, context)
            assert context.get("code", context.get("login_id")) in text
            assert len(text) <= 160
            continue
        rendered = renderer.render(out.template, locale, context)
        assert rendered.subject, out.template
        assert "\n" not in rendered.subject, out.template
        assert f'lang="{locale}"' in rendered.html, out.template
        assert "<b>" not in rendered.html  # user data is escaped in HTML
        for key in ("accept_url", "case_url", "reset_url", "confirm_url", "invoices_url"):
            if key in context:
                assert context[key] in rendered.text
                assert f'href="{context[key]}"' in rendered.html


def _variables(locale: str, name: str) -> set[str]:
    renderer = Renderer()
    assert renderer.env.loader is not None
    source = renderer.env.loader.get_source(renderer.env, f"{locale}/{name}")[0]
    return meta.find_undeclared_variables(renderer.env.parse(source))


@pytest.mark.parametrize("locale", LOCALES)
def test_no_template_uses_a_key_its_mapping_lacks_NOT_2(locale: str) -> None:
    """StrictUndefined catches a missing key only on the branch a render takes; this checks
    every branch: each variable a template reads is in its mapping's context."""
    for out in _planned():
        given = set(_context(out)) | {"subject"}
        parts = ["sms"] if out.channel == "sms" else ["subject", "txt", "html"]
        for part in parts:
            missing = _variables(locale, f"{out.template}.{part}") - given
            assert not missing, f"{locale}/{out.template}.{part} reads {missing}"


def test_different_locales_give_different_subjects_NOT_2() -> None:
    renderer = Renderer()
    for out in _planned():
        if out.channel == "email":
            subjects = {renderer.render(out.template, loc, out.context).subject for loc in LOCALES}
            assert len(subjects) == len(LOCALES), (out.template, subjects)


def _push_command(locale: str) -> SendPushV1:
    return SendPushV1(
        subject="u-1",
        source="konto/auth",
        data=SendPush(
            user_id="u-1",
            device_id="d-1",
            sealed_push_token="k1.sealed.token",
            template="login_approval",
            locale=locale,  # type: ignore[arg-type]
            approval_id="a-1",
            ip="203.0.113.7",
            user_agent="Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0",
            expires_at=datetime(2026, 11, 21, 12, 2, tzinfo=UTC),
        ),
    )


@pytest.mark.parametrize("locale", LOCALES)
def test_push_approval_renders_in_every_locale_with_where_the_login_comes_from_AUTH_9(
    locale: str,
) -> None:
    renderer = Renderer()
    out = push(_push_command(locale))
    assert (out.channel, out.locale, out.address) == ("push", locale, "device:d-1")
    assert "k1.sealed.token" not in str(
        {k: v for k, v in out.context.items() if k != "sealed_token"}
    )
    context = {**out.context, "device_token": "opened"}
    title, body = renderer.render_push(out.template, locale, context)
    assert title
    assert "203.0.113.7" in body
    assert len(title) + len(body) <= 200  # fits a lock-screen notification
    for part in ("push_title", "push"):
        assert _variables(locale, f"{out.template}.{part}") <= set(context)


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("method", ["totp", "sms", "push"])
def test_mfa_mails_name_the_method_added_or_removed_AUTH_9(locale: str, method: str) -> None:
    renderer = Renderer()
    person = PEOPLE[ANNA.user_id]
    enabled = MfaEnabledV1(
        subject=person.user_id, data=MfaEnabled(user_id=person.user_id, method=method)
    )  # type: ignore[arg-type]
    [added] = plan(enabled, PEOPLE, CONSOLE)
    texts = {
        m: renderer.render("mfa_enabled", locale, {**added.context, "method": m}).text
        for m in ("totp", "sms", "push")
    }
    assert len(set(texts.values())) == 3  # each method reads differently
    still_on = renderer.render(
        "mfa_disabled", locale, {**added.context, "method": method, "mfa_enabled": True}
    )
    ended = renderer.render(
        "mfa_disabled", locale, {**added.context, "method": method, "mfa_enabled": False}
    )
    assert still_on.subject != ended.subject
