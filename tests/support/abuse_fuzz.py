"""Schemathesis over a running service (issue 9, X-5): every operation of its OpenAPI document,
a bounded number of generated requests each, positive and negative data, with a real bearer
token; the failures are collected, not raised, so one run lists every finding."""

import uuid
from dataclasses import dataclass, field
from typing import Any

import httpx
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import Failure, FailureGroup
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]


@dataclass(frozen=True)
class Finding:
    operation: str
    check: str
    status: int
    request: str

    def __str__(self) -> str:
        return f"{self.operation}: {self.check} (status {self.status})\n    {self.request}"


@dataclass
class FuzzReport:
    operations: list[str] = field(default_factory=list)
    calls: int = 0
    unavailable: int = 0
    findings: dict[tuple[str, str, int], Finding] = field(default_factory=dict)

    def add(self, finding: Finding) -> None:
        # One example per operation, check and status is enough to fix it.
        self.findings.setdefault((finding.operation, finding.check, finding.status), finding)


def _client_address() -> str:
    """A fresh client address per call: auth throttles failed logins per address (AUTH-5), and
    the fuzzer's failures must not throttle other tests that log in from 127.0.0.1."""
    return f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250 + 1}"


def fuzz(
    base_url: str,
    headers: dict[str, str],
    *,
    path_parameters: dict[str, str] | None = None,
    max_examples: int = 5,
    negative_examples: int = 3,
    unpinned: frozenset[str] = frozenset(),
) -> FuzzReport:
    raw = httpx.get(f"{base_url}/openapi.json", timeout=30).json()
    schema = schemathesis.openapi.from_dict(raw)
    schema.config.update(base_url=base_url)
    report = FuzzReport()
    fixed = path_parameters or {}
    with requests.Session() as session:
        for result in schema.get_all_operations():
            assert isinstance(result, Ok), result
            operation = result.ok()
            report.operations.append(operation.label)
            own = {p.name for p in operation.path_parameters}
            pinned = {} if operation.label in unpinned else {k: fixed[k] for k in own & set(fixed)}
            for mode, examples in (
                (GenerationMode.POSITIVE, max_examples),
                (GenerationMode.NEGATIVE, negative_examples),
            ):
                if examples:
                    _run(session, operation, mode, examples, headers, pinned, report)
    return report


def _run(
    session: requests.Session,
    operation: Any,
    mode: GenerationMode,
    examples: int,
    headers: dict[str, str],
    pinned: dict[str, str],
    report: FuzzReport,
) -> None:
    strategy = operation.as_strategy(generation_mode=mode, path_parameters=pinned or None)

    @settings(
        max_examples=examples,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def run(case: schemathesis.Case) -> None:
        sent = {**headers, "x-forwarded-for": _client_address()}
        response = case.call(session=session, headers=sent, timeout=30)
        report.calls += 1
        try:
            case.validate_response(response, checks=CHECKS, headers=sent)
        except FailureGroup as group:
            for failure in group.exceptions:
                _record(report, operation.label, failure, response, case)
        except Failure as failure:
            _record(report, operation.label, failure, response, case)

    try:
        run()
    except Unsatisfiable:
        # Nothing to negate: the operation takes no parameters and no body.
        assert mode is GenerationMode.NEGATIVE, operation.label


def _record(
    report: FuzzReport, label: str, failure: Failure, response: schemathesis.Response, case: Any
) -> None:
    if response.status_code == 503 and _problem_type(response).endswith("/unavailable"):
        # The database did not answer in time (the shared MongoDB-wire server on a busy
        # machine): an honest, retryable answer about the environment, not about the input.
        report.unavailable += 1
        return
    check = type(failure).__name__
    body = response.text[:300].replace("\n", " ")
    request = f"{case.method} {case.formatted_path} query={case.query} body={case.body!r:.200}"
    report.add(Finding(label, check, response.status_code, f"{request}\n    -> {body}"))


def _problem_type(response: schemathesis.Response) -> str:
    try:
        kind = response.json().get("type", "")
    except ValueError:
        return ""
    return kind if isinstance(kind, str) else ""
