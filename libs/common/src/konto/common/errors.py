"""One error shape for every service: RFC 9457 problem+json; validation errors name the field."""

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pymongo.errors import ConnectionFailure, OperationFailure
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"


class Problem(Exception):
    """Raise from any layer above the domain to answer with a problem document."""

    def __init__(
        self,
        status: int,
        title: str,
        detail: str | None = None,
        *,
        code: str | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail or title)
        self.status = status
        self.title = title
        self.detail = detail
        self.code = code or title.lower().replace(" ", "-")
        self.extra = extra


def problem_response(
    status: int,
    title: str,
    detail: str | None = None,
    *,
    code: str | None = None,
    instance: str | None = None,
    **extra: Any,
) -> JSONResponse:
    body: dict[str, Any] = {
        "type": f"https://konto.dev/problems/{code or title.lower().replace(' ', '-')}",
        "title": title,
        "status": status,
    }
    if detail:
        body["detail"] = detail
    if instance:
        body["instance"] = instance
    body.update(extra)
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON)


def _field_path(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header", "cookie")]
    return ".".join(parts) or str(loc[0] if loc else "request")


async def _on_problem(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, Problem)
    return problem_response(
        exc.status, exc.title, exc.detail, code=exc.code, instance=request.url.path, **exc.extra
    )


async def _on_validation(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [
        {"field": _field_path(tuple(err["loc"])), "message": err["msg"], "type": err["type"]}
        for err in exc.errors()
    ]
    fields = ", ".join(dict.fromkeys(e["field"] for e in errors))
    return problem_response(
        422,
        "Invalid request",
        f"check these fields: {fields}",
        code="validation-error",
        instance=request.url.path,
        errors=errors,
    )


async def _on_http(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    detail = exc.detail if isinstance(exc.detail, str) else None
    response = problem_response(
        exc.status_code, _reason(exc.status_code), detail, instance=request.url.path
    )
    if exc.headers:
        response.headers.update(exc.headers)
    return response


async def _on_database_away(request: Request, exc: Exception) -> JSONResponse:
    # MongoDB restarting or failing over is transient, unlike a bug: a 503 with Retry-After
    # tells clients and load balancers to try again, where a 500 would not.
    log.warning("database unavailable", extra={"path": request.url.path, "error": str(exc)})
    response = problem_response(
        503,
        "Service unavailable",
        "the database does not answer; retry shortly",
        code="unavailable",
        instance=request.url.path,
    )
    response.headers["Retry-After"] = "1"
    return response


async def _on_operation_failure(request: Request, exc: Exception) -> JSONResponse:
    # A write conflict with a concurrent request aborts the whole transaction, so nothing of
    # this request was written: the client may simply send it again.
    if isinstance(exc, OperationFailure) and exc.has_error_label("TransientTransactionError"):
        log.warning("transaction conflict", extra={"path": request.url.path, "error": str(exc)})
        response = problem_response(
            409,
            "Concurrent change",
            "another request changed the same data at the same time; nothing was saved, "
            "send the request again",
            code="concurrent-change",
            instance=request.url.path,
        )
        response.headers["Retry-After"] = "0"
        return response
    return await _on_unhandled(request, exc)


async def _on_unhandled(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error", extra={"path": request.url.path})
    return problem_response(500, "Internal error", code="internal", instance=request.url.path)


def _reason(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def install_problem_handlers(app: FastAPI) -> None:
    app.add_exception_handler(Problem, _on_problem)
    app.add_exception_handler(RequestValidationError, _on_validation)
    app.add_exception_handler(StarletteHTTPException, _on_http)
    app.add_exception_handler(ConnectionFailure, _on_database_away)
    app.add_exception_handler(OperationFailure, _on_operation_failure)
    app.add_exception_handler(Exception, _on_unhandled)
