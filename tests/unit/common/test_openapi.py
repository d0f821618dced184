"""The OpenAPI document states the problem+json answers every service really gives (X-5,
issue 9): schemathesis and clients check error bodies against it."""

import jsonschema
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import BaseModel

from konto.common.errors import PROBLEM_JSON, Problem, install_problem_handlers
from konto.common.openapi import document_problems


class Thing(BaseModel):
    name: str


def _app() -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)
    document_problems(app)

    @app.post("/things", responses={409: {"description": "thing-exists"}})
    async def add(thing: Thing) -> Thing:
        if thing.name == "taken":
            raise Problem(409, "Conflict", code="thing-exists")
        return thing

    return app


def test_errors_are_documented_as_problem_documents_X_5() -> None:
    document = _app().openapi()
    responses = document["paths"]["/things"]["post"]["responses"]
    assert responses["422"]["content"] == {
        PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/ValidationProblem"}}
    }
    assert responses["409"]["content"][PROBLEM_JSON]["schema"]["$ref"].endswith("/Problem")
    assert responses["default"]["content"][PROBLEM_JSON]["schema"]["$ref"].endswith("/Problem")
    assert "example" in document["components"]["schemas"]["Problem"]


def test_the_answers_match_what_is_documented_X_5() -> None:
    app = _app()
    schemas = app.openapi()["components"]["schemas"]
    client = TestClient(app)
    invalid = client.post("/things", json={})
    taken = client.post("/things", json={"name": "taken"})
    not_json = client.post(
        "/things", content=b"\xba{", headers={"content-type": "application/json"}
    )
    resolver = {"components": {"schemas": schemas}}
    for answer, schema in (
        (invalid, "ValidationProblem"),
        (taken, "Problem"),
        (not_json, "Problem"),
    ):
        assert answer.headers["content-type"] == PROBLEM_JSON
        jsonschema.validate(answer.json(), {**resolver, "$ref": f"#/components/schemas/{schema}"})
    assert not_json.status_code in (400, 422)
