"""auth's one table from service exceptions to problem+json answers (X-5: bad input names
the field; the answers of AUTH-5, AUTH-6, AUTH-9, AUTH-10)."""

import json
from collections.abc import Callable

import pytest
from fastapi import FastAPI
from starlette.requests import Request

from konto.auth.api import problems
from konto.auth.domain.identifiers import normalize_email, normalize_mobile
from konto.auth.domain.invalid_input import InvalidInput
from konto.auth.domain.passwords import check_policy
from konto.auth.service.factor_removal import SecondFactorRequired
from konto.auth.service.login_challenges import InvalidLoginCode
from konto.auth.service.login_guard import Throttled
from konto.auth.service.login_ids import LoginIdRequired
from konto.auth.service.mfa_methods import InvalidCode, MfaConflict


def _invalid(call: Callable[[], object]) -> InvalidInput:
    with pytest.raises(InvalidInput) as raised:
        call()
    return raised.value


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda: normalize_email("not-an-address"), "email"),
        (lambda: normalize_email("not-an-address", "recovery_email"), "recovery_email"),
        (lambda: normalize_mobile("0791234567"), "mobile"),
        (lambda: check_policy("short"), "password"),
        (lambda: check_policy("short", field="new_password"), "new_password"),
    ],
)
def test_invalid_input_names_its_field_X_5(call: Callable[[], object], field: str) -> None:
    problem = problems.problem_for(_invalid(call))
    assert (problem.status, problem.code) == (422, "validation-error")
    assert problem.detail == f"check these fields: {field}"
    assert [e["field"] for e in problem.extra["errors"]] == [field]


def test_a_wrong_code_answers_by_what_it_was_for_AUTH_9() -> None:
    confirm = problems.problem_for(InvalidCode())
    login = problems.problem_for(InvalidLoginCode())
    removal = problems.problem_for(SecondFactorRequired())
    assert (confirm.status, confirm.code) == (400, "invalid-code")
    assert (login.status, login.code) == (401, "invalid-code")
    assert (removal.status, removal.code) == (403, "second-factor-required")
    assert removal.extra["verification"]["href"] == "/v1/me/mfa/verification"


def test_conflict_and_login_id_answers_carry_their_details_AUTH_9_AUTH_10() -> None:
    conflict = problems.problem_for(MfaConflict("no such device"))
    assert (conflict.status, conflict.code, conflict.detail) == (
        409,
        "mfa-conflict",
        "no such device",
    )
    required = problems.problem_for(LoginIdRequired(change_token="t0k", expires_in=900))
    assert (required.status, required.code) == (403, "login-id-required")
    assert required.extra == {"change_token": "t0k", "expires_in": 900, "href": "/v1/login-id"}


async def test_throttled_answers_429_with_retry_after_AUTH_5() -> None:
    request = Request({"type": "http", "method": "POST", "path": "/v1/sessions", "headers": []})
    response = await problems._answer(request, Throttled(42))
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "42"
    assert response.media_type == "application/problem+json"
    body = json.loads(bytes(response.body))
    assert body["type"] == "https://konto.dev/problems/too-many-attempts"
    assert (body["retry_after"], body["instance"]) == (42, "/v1/sessions")


def test_every_exception_in_the_table_is_handled_by_the_app_X_5() -> None:
    app = FastAPI()
    problems.install(app)
    assert set(problems.PROBLEMS) <= set(app.exception_handlers)
