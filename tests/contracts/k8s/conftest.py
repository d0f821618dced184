"""Rendering deploy/k8s with kustomize, once per session, and the per-overlay fixtures."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from tests.contracts.k8s.support import K8S, OVERLAYS, ROOT, Doc, Render


def _find_kustomize() -> str:
    """The kustomize binary: $KUSTOMIZE, the one scripts/install-kustomize builds, or PATH."""
    cache = Path(os.environ.get("KONTO_CACHE_DIR") or Path.home() / ".cache" / "konto")
    candidates = [os.environ.get("KUSTOMIZE"), str(cache.expanduser() / "bin" / "kustomize")]
    for candidate in candidates:
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    found = shutil.which("kustomize")
    if found:
        return found
    pytest.fail(
        "kustomize is not installed, so deploy/k8s cannot be rendered: run"
        " scripts/install-kustomize (scripts/bootstrap does) or set KUSTOMIZE to a kustomize v5"
        " binary",
        pytrace=False,
    )


def _render(kustomize: str, target: Path) -> list[Doc]:
    result = subprocess.run(
        [kustomize, "build", str(target)], capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        pytest.fail(f"kustomize build {target.relative_to(ROOT)} failed:\n{result.stderr}")
    docs = [d for d in YAML(typ="safe", pure=True).load_all(result.stdout) if d is not None]
    assert docs, f"kustomize build {target.relative_to(ROOT)} rendered nothing"
    return docs


@pytest.fixture(scope="session")
def kustomize() -> str:
    """The kustomize binary; a missing one fails every test that renders, it never skips."""
    return _find_kustomize()


@pytest.fixture(scope="session")
def rendered(kustomize: str) -> Render:
    """`base` or an overlay's name -> its objects, each target rendered once per session."""
    cache: dict[str, list[Doc]] = {}

    def render(target: str) -> list[Doc]:
        if target not in cache:
            path = K8S / "base" if target == "base" else K8S / "overlays" / target
            cache[target] = _render(kustomize, path)
        return cache[target]

    return render


@pytest.fixture(params=OVERLAYS)
def overlay(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def docs(rendered: Render, overlay: str) -> list[Doc]:
    return rendered(overlay)
