"""OpenAPI pieces shared by auth's endpoints: problem+json responses with an example body, and
whole-body examples of requests and answers."""

from typing import Any

from pydantic import ConfigDict

PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["type", "title", "status"],
    "properties": {
        "type": {"type": "string", "format": "uri"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
    },
}


def problem(status: int, code: str, title: str, description: str, **extra: Any) -> dict[str, Any]:
    """One documented error answer (RFC 9457), its `type` ending in `code`; `extra` are the
    problem's own members, shown in the example."""
    return {
        "description": description,
        "content": {
            "application/problem+json": {
                "schema": PROBLEM_SCHEMA,
                "example": {
                    "type": f"https://konto.dev/problems/{code}",
                    "title": title,
                    "status": status,
                    "detail": description,
                    **extra,
                },
            }
        },
    }


# Every endpoint behind a bearer token: none, an invalid one, or one of an ended session.
BEARER_PROBLEMS: dict[int | str, dict[str, Any]] = {
    401: problem(
        401,
        "session-ended",
        "Unauthorized",
        "unauthorized / invalid-token / session-ended: no bearer token, an invalid one, or "
        "one whose session ended",
    )
}


def json_example(example: dict[str, Any], status: int = 200) -> dict[int | str, Any]:
    """An answer's example where no model describes it (a plain JSON document)."""
    return {status: {"content": {"application/json": {"example": example}}}}


def model_example(example: dict[str, Any]) -> ConfigDict:
    """A model's whole-body example (a request's or an answer's) in the OpenAPI document."""
    return ConfigDict(json_schema_extra={"examples": [example]})
