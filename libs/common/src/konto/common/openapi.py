"""The error half of every service's OpenAPI document (X-5, issue 9): FastAPI documents its own
422 shape and nothing else, while every error here is an RFC 9457 problem document
(`konto.common.errors`). This states what the services really answer, so clients and
schemathesis can check error bodies too."""

from typing import Any

from fastapi import FastAPI

from konto.common.errors import PROBLEM_JSON

PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "type": "object",
    "required": ["type", "title", "status"],
    "properties": {
        "type": {"type": "string", "description": "https://konto.dev/problems/<code>"},
        "title": {"type": "string"},
        "status": {"type": "integer", "minimum": 400, "maximum": 599},
        "detail": {"type": "string"},
        "instance": {"type": "string", "description": "the request's path"},
    },
    "additionalProperties": True,
    "example": {
        "type": "https://konto.dev/problems/org-not-found",
        "title": "Not found",
        "status": 404,
        "detail": "no such organization",
        "instance": "/v1/orgs/0f6c",
    },
}
VALIDATION_PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "ValidationProblem",
    "allOf": [{"$ref": "#/components/schemas/Problem"}],
    "type": "object",
    "required": ["errors"],
    "properties": {
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["field", "message", "type"],
                "properties": {
                    "field": {"type": "string", "description": "dotted path, e.g. lines.0.months"},
                    "message": {"type": "string"},
                    "type": {"type": "string"},
                },
            },
        }
    },
    "example": {
        "type": "https://konto.dev/problems/validation-error",
        "title": "Invalid request",
        "status": 422,
        "detail": "check these fields: email",
        "instance": "/v1/users",
        "errors": [{"field": "email", "message": "Field required", "type": "missing"}],
    },
}


def _problem(ref: str) -> dict[str, Any]:
    return {PROBLEM_JSON: {"schema": {"$ref": f"#/components/schemas/{ref}"}}}


def _document(spec: dict[str, Any]) -> dict[str, Any]:
    schemas = spec.setdefault("components", {}).setdefault("schemas", {})
    schemas["Problem"] = PROBLEM_SCHEMA
    schemas["ValidationProblem"] = VALIDATION_PROBLEM_SCHEMA
    for operations in spec.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            for status, response in responses.items():
                if status == "422":
                    response["content"] = _problem("ValidationProblem")
                elif status.isdigit() and int(status) >= 400 and "content" not in response:
                    response["content"] = _problem("Problem")
            # Any status an operation does not list (400 for a body that is not JSON, 401 for
            # a missing or expired token, 429, 503 ...) is a problem document too.
            responses.setdefault(
                "default", {"description": "Any other error", "content": _problem("Problem")}
            )
    return spec


def document_problems(app: FastAPI) -> None:
    """Post-process the generated document once, on its first request."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = _document(generate())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
