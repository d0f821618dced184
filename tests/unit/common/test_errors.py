"""X-5: one problem+json shape; validation errors name the field."""

from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import BaseModel, Field
from pymongo.errors import OperationFailure, ServerSelectionTimeoutError

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

    @app.get("/database-away")
    async def database_away() -> None:
        raise ServerSelectionTimeoutError("127.0.0.1:27017: connection refused")

    @app.get("/write-conflict")
    async def write_conflict() -> None:
        raise OperationFailure(
            "WriteConflict", 112, {"errorLabels": ["TransientTransactionError"], "code": 112}
        )

    @app.get("/bad-query")
    async def bad_query() -> None:
        raise OperationFailure("unknown operator: $nope", 2, {"code": 2})

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


def test_database_outage_answers_503_with_retry_after_X_6() -> None:
    """A MongoDB restart is transient: clients are told to retry, not shown a 500."""
    response = _client().get("/database-away")
    assert response.status_code == 503
    assert response.headers["retry-after"] == "1"
    assert response.json()["type"].endswith("/unavailable")
    assert "27017" not in response.text


def test_write_conflict_answers_409_to_send_again_X_5() -> None:
    """A transaction aborted by a concurrent one wrote nothing: the client may retry."""
    response = _client().get("/write-conflict")
    assert response.status_code == 409
    assert response.json()["type"].endswith("/concurrent-change")
    assert response.headers["retry-after"] == "0"
    assert _client().get("/bad-query").status_code == 500
