"""X-5, AUTH-*: auth's OpenAPI document is complete enough to build a client from. Every
operation has a summary, documents at least one 4xx answer as application/problem+json, and
shows an example of its JSON request body and of each JSON answer. The app is built without
servers: importing it connects to nothing, and `openapi()` runs no lifespan."""

from typing import Any

import pytest

from konto.auth.app import app

SPEC: dict[str, Any] = app.openapi()
SCHEMAS: dict[str, Any] = SPEC["components"]["schemas"]

# Public documents with nothing to refuse: no 4xx exists to document.
NO_ERRORS = {
    ("GET", "/.well-known/jwks.json"),
    ("GET", "/.well-known/openid-configuration"),
}


def _operations() -> list[Any]:
    found = []
    for path, methods in SPEC["paths"].items():
        for method, operation in methods.items():
            if "operations" in operation.get("tags", []):  # health, readiness, AsyncAPI
                continue
            key = (method.upper(), path)
            found.append(pytest.param(key, operation, id=f"{key[0]} {path}"))
    return found


def _resolved(schema: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref")
    return SCHEMAS[ref.rsplit("/", 1)[1]] if ref else schema


@pytest.mark.parametrize(("key", "operation"), _operations())
def test_every_auth_operation_is_documented_AUTH_X_5(
    key: tuple[str, str], operation: dict[str, Any]
) -> None:
    assert operation.get("summary"), f"{key}: no summary"
    if key not in NO_ERRORS:
        problems = [
            status
            for status, answer in operation.get("responses", {}).items()
            if status.startswith("4") and "application/problem+json" in answer.get("content", {})
        ]
        assert problems, f"{key}: no 4xx application/problem+json answer documented"
    body = operation.get("requestBody", {}).get("content", {}).get("application/json")
    if body is not None:
        schema = _resolved(body.get("schema", {}))
        examples = body.get("example") or body.get("examples") or schema.get("examples")
        assert examples, f"{key}: no example of the JSON request body"


def _has_example(media: dict[str, Any]) -> bool:
    if media.get("example") or media.get("examples"):
        return True
    schema = _resolved(media.get("schema", {}))
    if schema.get("type") == "array":
        schema = _resolved(schema.get("items", {}))
    alternatives = [_resolved(s) for s in schema.get("anyOf", [])] or [schema]
    return all(alt.get("examples") for alt in alternatives)


@pytest.mark.parametrize(("key", "operation"), _operations())
def test_every_auth_json_answer_has_an_example_AUTH_X_5(
    key: tuple[str, str], operation: dict[str, Any]
) -> None:
    for status, answer in operation.get("responses", {}).items():
        media = answer.get("content", {}).get("application/json")
        if status.startswith("2") and media is not None:
            assert _has_example(media), f"{key} {status}: no example of the answer"


def test_the_known_operations_are_all_there_AUTH_10() -> None:
    """The walk above covers the document, not an empty one: a few landmarks."""
    paths = set(SPEC["paths"])
    assert {"/v1/users", "/v1/sessions", "/v1/login-id", "/v1/password-resets"} <= paths
    login = SPEC["paths"]["/v1/sessions"]["post"]
    assert "403" in login["responses"]  # login-id-required (AUTH-10)
