"""Contract checks for docker-compose.yml and the service Dockerfile; no Docker engine needed.

The compose file is validated against the Compose Specification JSON schema that
check-jsonschema vendors (``--builtin-schema vendor.compose-spec``), then checked for the
rules the stack relies on: every Konto service is built from the one shared
services/Dockerfile with its own SERVICE and PORT build args, waits for healthy Kafka and
MongoDB, has a readiness health check (X-6), and every image is pinned.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = ROOT / "docker-compose.yml"
# The one Dockerfile all Konto services are built from (build args SERVICE and PORT).
DOCKERFILE = ROOT / "services" / "Dockerfile"

# Service name -> HTTP port (DESIGN.md: "Local ports").
SERVICES = {"auth": 8001, "orgs": 8002, "billing": 8003, "verification": 8004, "notify": 8005}
# Services that store files in S3 and so need their bucket before they start.
S3_SERVICES = {"orgs", "billing", "verification"}
# Settings every service reads (libs/common/src/konto/common/settings.py), without the prefix.
COMMON_SETTINGS = {
    "ENVIRONMENT",
    "LOG_LEVEL",
    "MONGO_URL",
    "MONGO_DB",
    "KAFKA_BOOTSTRAP",
    "JWKS_URL",
}


def _load_compose() -> dict[str, Any]:
    data = YAML(typ="safe", pure=True).load(COMPOSE_FILE.read_text(encoding="utf-8"))
    assert isinstance(data, dict), "docker-compose.yml is not a mapping"
    return data


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return _load_compose()


@pytest.fixture(scope="module")
def services(compose: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return compose["services"]


def _depends_on(service: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """depends_on in its long form (the short list form means service_started)."""
    raw = service.get("depends_on") or {}
    if isinstance(raw, list):
        return {name: {"condition": "service_started"} for name in raw}
    return {name: (spec or {"condition": "service_started"}) for name, spec in raw.items()}


def _healthcheck_command(service: dict[str, Any]) -> str:
    test = service["healthcheck"]["test"]
    return test if isinstance(test, str) else " ".join(test)


def _image_is_pinned(image: str) -> bool:
    """A tag other than latest, or a digest."""
    if "@sha256:" in image:
        return True
    last = image.rsplit("/", 1)[-1]
    if ":" not in last:
        return False
    tag = last.split(":", 1)[1]
    return bool(tag) and tag != "latest" and "${" not in tag


@pytest.fixture(scope="module")
def dockerfile_text() -> str:
    assert DOCKERFILE.is_file(), f"{DOCKERFILE} does not exist"
    return DOCKERFILE.read_text(encoding="utf-8")


def _build_args(build: dict[str, Any]) -> dict[str, str]:
    """build.args in its mapping form (the list form is KEY=VALUE strings)."""
    raw = build.get("args") or {}
    if isinstance(raw, list):
        return dict(str(item).partition("=")[::2] for item in raw)
    return {str(key): str(value) for key, value in raw.items()}


def _instructions(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) per Dockerfile instruction, continuation lines joined."""
    joined = re.sub(r"\\\n", " ", text)
    result = []
    for line in joined.splitlines():
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            keyword, _, rest = stripped.partition(" ")
            result.append((keyword.upper(), rest.strip()))
    return result


def _final_stage(text: str) -> list[tuple[str, str]]:
    instructions = _instructions(text)
    last_from = max(i for i, (keyword, _) in enumerate(instructions) if keyword == "FROM")
    return instructions[last_from:]


def _dockerfile_base_images(text: str) -> list[str]:
    """Images a Dockerfile pulls: FROM and COPY --from that are not earlier build stages."""
    stages: set[str] = set()
    images: list[str] = []
    for line in text.splitlines():
        from_match = re.match(
            r"^\s*FROM\s+(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?", line, re.I
        )
        if from_match:
            image, stage = from_match.group(1), from_match.group(2)
            if image not in stages:
                images.append(image)
            if stage:
                stages.add(stage)
            continue
        for source in re.findall(r"--from=(\S+)", line):
            if source not in stages and not source.isdigit():
                images.append(source)
    return images


def test_compose_file_matches_compose_spec() -> None:
    """docker-compose.yml is valid under the Compose Specification schema."""
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "check_jsonschema",
            "--builtin-schema",
            "vendor.compose-spec",
            str(COMPOSE_FILE),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, (
        f"compose-spec validation failed:\n{result.stdout}\n{result.stderr}"
    )


def test_compose_defines_every_konto_service_and_its_infrastructure(
    services: dict[str, dict[str, Any]],
) -> None:
    expected = set(SERVICES) | {"kafka", "mongo", "s3", "mailpit"}
    missing = expected - set(services)
    assert not missing, f"services missing from docker-compose.yml: {sorted(missing)}"


@pytest.mark.parametrize("name", sorted(SERVICES))
def test_konto_service_is_built_from_the_shared_dockerfile(
    services: dict[str, dict[str, Any]], name: str
) -> None:
    build = services[name]["build"]
    assert isinstance(build, dict), f"{name}: build must name its context, Dockerfile and args"
    context = (ROOT / build["context"]).resolve()
    assert context == ROOT, f"{name}: build context must be the repository root (uv workspace)"
    dockerfile = (context / build["dockerfile"]).resolve()
    assert dockerfile == DOCKERFILE, f"{name}: expected services/Dockerfile, got {dockerfile}"
    args = _build_args(build)
    assert args.get("SERVICE") == name, f"{name}: build arg SERVICE must be {name!r}: {args}"
    assert args.get("PORT") == str(SERVICES[name]), (
        f"{name}: build arg PORT must be {SERVICES[name]}: {args}"
    )
    stale = ROOT / "services" / name / "Dockerfile"
    assert not stale.exists(), f"{name}: stale per-service Dockerfile {stale}"


def test_shared_dockerfile_builds_the_named_service(dockerfile_text: str) -> None:
    text = dockerfile_text
    assert re.search(r"^ARG\s+SERVICE\s*$", text, re.M), "SERVICE must be a build arg (no default)"
    assert re.search(r"^ARG\s+PORT\s*$", text, re.M), "PORT must be a build arg (no default)"
    syncs = [rest for keyword, rest in _instructions(text) if "uv sync" in rest]
    assert len(syncs) == 2, f"expected the dependency and the project uv sync: {syncs}"
    for sync in syncs:
        assert "--package konto-${SERVICE}" in sync, f"must sync konto-${{SERVICE}} only: {sync}"
        assert "--frozen" in sync, f"must install from uv.lock (--frozen): {sync}"
        assert "--no-dev" in sync, f"must leave the dev group out: {sync}"
    assert "--no-install-workspace" in syncs[0], "first sync: third-party dependencies only"
    assert "--no-editable" in syncs[1], "second sync: a self-contained virtual environment"
    # uv reads the whole workspace, so every member's pyproject.toml must be in the builder.
    for member in ["libs/common", *(f"services/{name}" for name in SERVICES)]:
        assert f"COPY {member}/pyproject.toml {member}/" in text, f"must copy {member}"
    assert "COPY services/${SERVICE}/ services/${SERVICE}/" in text, "must copy the service"


def test_shared_dockerfile_runtime_stage(dockerfile_text: str) -> None:
    final = _final_stage(dockerfile_text)
    args = {rest for keyword, rest in final if keyword == "ARG"}
    assert {"SERVICE", "PORT"} <= args, f"runtime stage must declare SERVICE and PORT: {args}"
    runs = " ".join(rest for keyword, rest in final if keyword == "RUN")
    assert re.search(r"useradd\b.*--uid 10001\b", runs), "runtime must create the uid 10001 user"
    users = [rest for keyword, rest in final if keyword == "USER"]
    assert users, "runtime stage must set a USER"
    assert re.fullmatch(r"10001(:10001)?", users[-1]), f"must run as uid 10001: {users[-1]}"
    envs = " ".join(rest for keyword, rest in final if keyword == "ENV")
    assert "KONTO_SERVICE=${SERVICE}" in envs, "CMD needs the service name at run time"
    assert "KONTO_SERVICE_PORT=${PORT}" in envs, "HEALTHCHECK needs the port at run time"
    assert ("EXPOSE", "${PORT}") in final, "must EXPOSE the PORT build arg"
    healthchecks = [rest for keyword, rest in final if keyword == "HEALTHCHECK"]
    assert len(healthchecks) == 1, "runtime stage must have one HEALTHCHECK"
    assert "/healthz" in healthchecks[0], "HEALTHCHECK must probe /healthz"
    assert "KONTO_SERVICE_PORT" in healthchecks[0], "HEALTHCHECK must use the image's port"
    cmds = [rest for keyword, rest in final if keyword == "CMD"]
    assert len(cmds) == 1, f"runtime stage must have one CMD: {cmds}"
    # Exec form with a shell only to expand KONTO_SERVICE; exec keeps Python as PID 1.
    argv = json.loads(cmds[0])
    assert len(argv) == 3, f"unexpected CMD: {argv}"
    assert argv[:2] == ["sh", "-c"], f"unexpected CMD: {argv}"
    assert re.fullmatch(r'exec python -m "?konto\.\$\{?KONTO_SERVICE\}?"?', argv[2]), (
        f"CMD must exec python -m konto.$KONTO_SERVICE: {argv}"
    )


@pytest.mark.parametrize("name", sorted(SERVICES))
def test_konto_service_has_readiness_healthcheck(
    services: dict[str, dict[str, Any]], name: str
) -> None:
    """X-6 (Operable): compose marks a service healthy only when its /readyz answers 200."""
    service = services[name]
    assert "healthcheck" in service, f"{name}: no healthcheck"
    assert not service["healthcheck"].get("disable", False), f"{name}: healthcheck disabled"
    command = _healthcheck_command(service)
    assert f"127.0.0.1:{SERVICES[name]}/readyz" in command, (
        f"{name}: healthcheck must probe /readyz on port {SERVICES[name]}: {command}"
    )


def test_every_long_running_service_has_a_healthcheck(
    services: dict[str, dict[str, Any]],
) -> None:
    """X-6 (Operable): every service that keeps running reports its health."""
    one_shot = {name for name, svc in services.items() if str(svc.get("restart")) == "no"}
    lacking = sorted(
        name for name, svc in services.items() if name not in one_shot and "healthcheck" not in svc
    )
    assert not lacking, f"services without a healthcheck: {lacking}"


@pytest.mark.parametrize("name", sorted(SERVICES))
def test_konto_service_waits_for_healthy_infrastructure(
    services: dict[str, dict[str, Any]], name: str
) -> None:
    deps = _depends_on(services[name])
    for infra in ("kafka", "mongo"):
        assert deps.get(infra, {}).get("condition") == "service_healthy", (
            f"{name}: must depend on {infra} with condition service_healthy"
        )
    if name in S3_SERVICES:
        bucket_ready = {
            dep
            for dep, spec in deps.items()
            if dep.startswith("s3")
            and spec.get("condition") in {"service_healthy", "service_completed_successfully"}
        }
        assert bucket_ready, f"{name}: must wait for S3 (and its bucket)"
    if name == "notify":
        assert deps.get("mailpit", {}).get("condition") == "service_healthy"
    for other in set(SERVICES) & set(deps):
        # Token verification fetches auth's JWKS lazily: waiting for "started" is enough,
        # and a stronger condition between services invites start-up deadlocks.
        assert deps[other].get("condition") == "service_started", (
            f"{name}: depend on {other} only with condition service_started"
        )


def test_depends_on_is_closed_and_acyclic(services: dict[str, dict[str, Any]]) -> None:
    graph = {name: set(_depends_on(svc)) for name, svc in services.items()}
    unknown = {f"{name} -> {dep}" for name, deps in graph.items() for dep in deps - set(graph)}
    assert not unknown, f"depends_on names unknown services: {sorted(unknown)}"

    done: set[str] = set()

    def visit(node: str, path: tuple[str, ...]) -> None:
        if node in path:
            pytest.fail(f"depends_on cycle: {' -> '.join((*path, node))}")
        if node in done:
            return
        for dep in sorted(graph[node]):
            visit(dep, (*path, node))
        done.add(node)

    for node in sorted(graph):
        visit(node, ())


@pytest.mark.parametrize("name", sorted(SERVICES))
def test_konto_service_environment_and_ports(
    services: dict[str, dict[str, Any]], name: str
) -> None:
    service = services[name]
    prefix = f"KONTO_{name.upper()}_"
    env = service.get("environment") or {}
    assert isinstance(env, dict), f"{name}: use the mapping form for environment"
    foreign = sorted(key for key in env if not key.startswith(prefix))
    assert not foreign, f"{name}: variables without the {prefix} prefix: {foreign}"
    missing = sorted(COMMON_SETTINGS - {key.removeprefix(prefix) for key in env})
    assert not missing, f"{name}: missing settings {missing}"
    assert "mongo:27017" in str(env[f"{prefix}MONGO_URL"])
    assert "replicaSet=rs0" in str(env[f"{prefix}MONGO_URL"])
    assert str(env[f"{prefix}KAFKA_BOOTSTRAP"]) == "kafka:9092"
    assert str(env[f"{prefix}JWKS_URL"]) == "http://auth:8001/.well-known/jwks.json"
    if name in S3_SERVICES:
        for key in ("S3_ENDPOINT_URL", "S3_ACCESS_KEY", "S3_SECRET_KEY", "S3_BUCKET"):
            assert f"{prefix}{key}" in env, f"{name}: missing {prefix}{key}"
        assert str(env[f"{prefix}S3_BUCKET"]) == f"konto-{name}"
    port = SERVICES[name]
    assert f"{port}:{port}" in [str(p) for p in service.get("ports", [])], (
        f"{name}: must publish port {port}"
    )


def test_compose_images_are_pinned(services: dict[str, dict[str, Any]]) -> None:
    unpinned = sorted(
        f"{name}: {svc['image']}"
        for name, svc in services.items()
        if "image" in svc and not _image_is_pinned(str(svc["image"]))
    )
    assert not unpinned, f"images must carry a version tag other than latest: {unpinned}"
    no_source = sorted(
        name for name, svc in services.items() if "image" not in svc and "build" not in svc
    )
    assert not no_source, f"services with neither image nor build: {no_source}"


def test_dockerfile_base_images_are_pinned(dockerfile_text: str) -> None:
    images = _dockerfile_base_images(dockerfile_text)
    assert images, "no base image found"
    unpinned = [image for image in images if not _image_is_pinned(image)]
    assert not unpinned, f"unpinned base images {unpinned}"
