"""What the deploy/k8s checks expect, and pure helpers over rendered objects."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[3]
K8S = ROOT / "deploy" / "k8s"
OVERLAYS = sorted(p.parent.name for p in (K8S / "overlays").glob("*/kustomization.yaml"))

# Service name -> HTTP port (DESIGN.md: "Local ports"; docker-compose.yml).
SERVICES = {"auth": 8001, "orgs": 8002, "billing": 8003, "verification": 8004, "notify": 8005}
S3_SERVICES = {"orgs", "billing", "verification"}

# Strimzi's custom resources, which have no schema in kubernetes-validate.
STRIMZI_KINDS = {"Kafka", "KafkaNodePool", "KafkaTopic"}

POD_TEMPLATE_KINDS = {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job"}

Doc = dict[str, Any]
# The `rendered` fixture: `base` or an overlay's name -> the objects kustomize renders.
Render = Callable[[str], list[Doc]]


# ---------------------------------------------------------------------------------------------
# Finding objects
# ---------------------------------------------------------------------------------------------


def find(docs: list[Doc], kind: str, name: str | None = None) -> list[Doc]:
    return [
        d for d in docs if d.get("kind") == kind and (name is None or d["metadata"]["name"] == name)
    ]


def one(docs: list[Doc], kind: str, name: str) -> Doc:
    found = find(docs, kind, name)
    assert len(found) == 1, f"expected one {kind}/{name}, found {len(found)}"
    return found[0]


def pod_template(doc: Doc) -> Doc | None:
    if doc.get("kind") in POD_TEMPLATE_KINDS:
        return doc["spec"]["template"]
    if doc.get("kind") == "CronJob":
        return doc["spec"]["jobTemplate"]["spec"]["template"]
    return None


def workloads(docs: list[Doc]) -> Iterator[tuple[Doc, Doc]]:
    for doc in docs:
        template = pod_template(doc)
        if template is not None:
            yield doc, template


def konto_container(docs: list[Doc], service: str) -> Doc:
    deployment = one(docs, "Deployment", f"konto-{service}")
    containers: list[Doc] = deployment["spec"]["template"]["spec"]["containers"]
    return containers[0]


def konto_config(docs: list[Doc], service: str) -> dict[str, str]:
    """The data of the ConfigMap that konto-<service>'s container reads (name carries a hash)."""
    refs = konto_container(docs, service)["envFrom"]
    name = next(r["configMapRef"]["name"] for r in refs if "configMapRef" in r)
    return one(docs, "ConfigMap", name)["data"]


def konto_secret_name(docs: list[Doc], service: str) -> str:
    refs = konto_container(docs, service)["envFrom"]
    return next(r["secretRef"]["name"] for r in refs if "secretRef" in r)


# ---------------------------------------------------------------------------------------------
# Label selectors
# ---------------------------------------------------------------------------------------------


def selects(selector: Doc | None, labels: dict[str, str]) -> bool:
    """Whether a LabelSelector matches `labels` ({} matches everything)."""
    selector = selector or {}
    for key, value in (selector.get("matchLabels") or {}).items():
        if labels.get(key) != value:
            return False
    for expr in selector.get("matchExpressions") or []:
        key, op, values = expr["key"], expr["operator"], expr.get("values") or []
        ok = {
            "In": key in labels and labels[key] in values,
            "NotIn": key not in labels or labels[key] not in values,
            "Exists": key in labels,
            "DoesNotExist": key not in labels,
        }[op]
        if not ok:
            return False
    return True
