"""kustomize renders every target, and each rendered object is valid Kubernetes: strictly
against kubernetes-validate's schemas, or, for Strimzi's custom resources, by group and kind."""

from __future__ import annotations

import functools
import subprocess
from collections.abc import Iterator

import kubernetes_validate
import pytest
from kubernetes_validate import utils as kubernetes_validate_utils
from kubernetes_validate.utils import latest_version

from tests.contracts.k8s.support import OVERLAYS, STRIMZI_KINDS, Render

# The oldest Kubernetes these manifests support, and the newest kubernetes-validate knows.
KUBERNETES_VERSIONS = ("1.30", latest_version())
# Custom resources without a schema in kubernetes-validate: their group's API version.
STRIMZI_API = "kafka.strimzi.io/v1"


def test_kustomize_is_installed(kustomize: str) -> None:
    version = subprocess.run(
        [kustomize, "version"], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert version.startswith("v5."), f"kustomize {version}: v5 expected"


@pytest.fixture(scope="module")
def schemas_read_once() -> Iterator[None]:
    """kubernetes-validate reads its JSON schema files again for every object: keep them
    (ten times faster; the validation itself is unchanged)."""
    with pytest.MonkeyPatch.context() as mp:
        read = kubernetes_validate_utils.schema_contents
        mp.setattr(kubernetes_validate_utils, "schema_contents", functools.cache(read))
        yield


@pytest.mark.usefixtures("schemas_read_once")
@pytest.mark.parametrize("target", ["base", *OVERLAYS])
def test_objects_match_kubernetes_schemas(rendered: Render, target: str) -> None:
    problems: list[str] = []
    for doc in rendered(target):
        api, kind = doc.get("apiVersion"), doc.get("kind")
        name = (doc.get("metadata") or {}).get("name")
        if not (api and kind and name):
            problems.append(f"object without apiVersion, kind or metadata.name: {doc}")
            continue
        group = api.split("/")[0] if "/" in api else ""
        if group.endswith("strimzi.io"):
            if api != STRIMZI_API or kind not in STRIMZI_KINDS:
                problems.append(f"{api} {kind}/{name}: not a known Strimzi resource")
            elif not isinstance(doc.get("spec"), dict) or not doc["spec"]:
                problems.append(f"{kind}/{name}: empty spec")
            continue
        if "." in group and not group.endswith(".k8s.io"):
            problems.append(f"{api} {kind}/{name}: custom resource with no check here")
            continue
        for version in KUBERNETES_VERSIONS:
            try:
                kubernetes_validate.validate(doc, version, strict=True)
            except kubernetes_validate.ValidationError as e:
                path = "/".join(str(p) for p in e.path)
                problems.append(f"{kind}/{name} (Kubernetes {version}) at {path}: {e.message}")
            except kubernetes_validate.SchemaNotFoundError as e:
                problems.append(f"{kind}/{name}: {e.message}")
    assert not problems, "\n".join(problems)
