"""NOT-2: every template exists in every locale and renders there with StrictUndefined from the
context its mapping gives; adding a template without all locales, or using a key no mapping
provides, fails here."""

from pathlib import Path
from typing import Any, get_args

import pytest
from jinja2 import meta

from konto.common.events import SendSmsCode
from konto.notify.domain.mapping import plan
from konto.notify.domain.messages import LOCALES, Outgoing, Person
from konto.notify.rendering import Renderer
from tests.support.notify_events import (
    CONSOLE,
    Expected,
    auth_events,
    billing_events,
    orgs_events,
    verification_events,
    who,
)

TEMPLATES = Path(__file__).parents[3] / "services/notify/src/konto/notify/templates"
ANNA = who("anna@example.ch", "Anna Muster", "fr")
BRUNO = who("bruno@example.ch", "Bruno <b>Keller</b>", "de")  # markup in a name is escaped
SAMPLES: list[Expected] = [
    *auth_events(ANNA),
    *orgs_events(BRUNO, ANNA, "stranger@example.ch"),
    *verification_events(ANNA, "carla@example.ch", "+41790000001", "042917"),
    *billing_events(ANNA, BRUNO),
]
PEOPLE = {p.user_id: Person(p.user_id, p.email, p.name, p.locale, p.mobile) for p in (ANNA, BRUNO)}
# konto.notify.commands: one SMS template per purpose of SendSmsCode
SMS_COMMAND_TEMPLATES = set(get_args(SendSmsCode.model_fields["purpose"].annotation))


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
    used = {out.template for out in _planned()} | SMS_COMMAND_TEMPLATES
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
