"""X-5: one problem+json shape; validation errors name the field."""

from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import BaseModel, Field

from konto.common.errors import Problem, install_problem_handlers


class _Body(BaseModel):
    email: str
    age: int = Field(ge=0)


def _client() -> TestClient:
    app = FastAPI()
    install_problem_handlers(app)

    @app.post("/things")
    async def create(body: _Body) -> dict[str, str]:
        return {"ok": "yes"}

    @app.get("/conflict")
    async def conflict() -> None:
        raise Problem(409, "Already registered", "taken", code="email-taken")

    @app.get("/boom")
    async def boom() -> None:
        raise RuntimeError("secret detail")

    return TestClient(app, raise_server_exceptions=False)


def test_validation_error_names_each_field_X_5() -> None:
    response = _client().post("/things", json={"age": -1})
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert {e["field"] for e in body["errors"]} == {"email", "age"}
    assert "email" in body["detail"]


def test_problem_and_http_errors_share_the_shape_X_5() -> None:
    client = _client()
    conflict = client.get("/conflict").json()
    assert conflict["type"].endswith("/email-taken")
    assert (conflict["status"], conflict["title"], conflict["detail"]) == (
        409,
        "Already registered",
        "taken",
    )
    missing = client.get("/nowhere")
    assert missing.status_code == 404
    assert missing.json()["title"] == "Not Found"


def test_unhandled_error_hides_its_detail_X_5() -> None:
    response = _client().get("/boom")
    assert response.status_code == 500
    assert "secret" not in response.text
