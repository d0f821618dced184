"""Every pod of every render is hardened: non-root, read-only root filesystem, no capabilities,
no privilege escalation, RuntimeDefault seccomp, requests and limits, probes. The checker is
tested too: each rule it enforces, broken on a rendered pod, must be reported."""

from __future__ import annotations

import copy
from collections.abc import Callable

import pytest

from tests.contracts.k8s.support import Doc, Render, one, workloads

LONG_RUNNING_KINDS = {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"}


def _image_is_pinned(image: str) -> bool:
    if "@sha256:" in image:
        return True
    last = image.rsplit("/", 1)[-1]
    return ":" in last and last.split(":", 1)[1] not in ("", "latest")


def hardening_violations(kind: str, name: str, template: Doc) -> list[str]:
    """What breaks the pod rules; [] when the pod template follows all of them."""
    spec = template["spec"]
    where = f"{kind}/{name}"
    problems: list[str] = []
    pod_sc = spec.get("securityContext") or {}

    for flag in ("hostNetwork", "hostPID", "hostIPC"):
        if spec.get(flag):
            problems.append(f"{where}: {flag} is set")
    if spec.get("automountServiceAccountToken") is not False:
        problems.append(f"{where}: automountServiceAccountToken is not false")
    for volume in spec.get("volumes") or []:
        if "hostPath" in volume:
            problems.append(f"{where}: hostPath volume {volume['name']}")
    if (pod_sc.get("seccompProfile") or {}).get("type") != "RuntimeDefault":
        problems.append(f"{where}: pod seccompProfile is not RuntimeDefault")
    if pod_sc.get("runAsUser") == 0 or pod_sc.get("runAsGroup") == 0:
        problems.append(f"{where}: pod runs as user or group 0")

    emptydirs = {v["name"] for v in spec.get("volumes") or [] if "emptyDir" in v}
    containers = [("container", c) for c in spec.get("containers") or []]
    containers += [("initContainer", c) for c in spec.get("initContainers") or []]
    for role, container in containers:
        at = f"{where} {role} {container['name']}"
        sc = container.get("securityContext") or {}
        if sc.get("runAsNonRoot", pod_sc.get("runAsNonRoot")) is not True:
            problems.append(f"{at}: runAsNonRoot is not true")
        user = sc.get("runAsUser", pod_sc.get("runAsUser"))
        if not isinstance(user, int) or user == 0:
            problems.append(f"{at}: runAsUser is not a non-zero uid")
        if sc.get("readOnlyRootFilesystem") is not True:
            problems.append(f"{at}: readOnlyRootFilesystem is not true")
        if sc.get("allowPrivilegeEscalation") is not False:
            problems.append(f"{at}: allowPrivilegeEscalation is not false")
        if sc.get("privileged"):
            problems.append(f"{at}: privileged")
        capabilities = sc.get("capabilities") or {}
        if "ALL" not in (capabilities.get("drop") or []):
            problems.append(f"{at}: capabilities do not drop ALL")
        if capabilities.get("add"):
            problems.append(f"{at}: capabilities add {capabilities['add']}")
        seccomp = (sc.get("seccompProfile") or pod_sc.get("seccompProfile") or {}).get("type")
        if seccomp != "RuntimeDefault":
            problems.append(f"{at}: seccompProfile is not RuntimeDefault")
        resources = container.get("resources") or {}
        for bound in ("requests", "limits"):
            for resource in ("cpu", "memory"):
                if not (resources.get(bound) or {}).get(resource):
                    problems.append(f"{at}: no {resource} {bound}")
        if not _image_is_pinned(container.get("image", "")):
            problems.append(f"{at}: image {container.get('image')!r} is not pinned")
        mounts = container.get("volumeMounts") or []
        tmp = [m for m in mounts if m["mountPath"] == "/tmp"]  # noqa: S108 (a mount path)
        if not tmp or tmp[0]["name"] not in emptydirs:
            problems.append(f"{at}: no emptyDir mounted at /tmp")
        if role == "container" and kind in LONG_RUNNING_KINDS:
            for probe in ("livenessProbe", "readinessProbe", "startupProbe"):
                if not container.get(probe):
                    problems.append(f"{at}: no {probe}")
    return problems


def test_every_pod_is_hardened(docs: list[Doc]) -> None:
    problems: list[str] = []
    for doc, template in workloads(docs):
        problems += hardening_violations(doc["kind"], doc["metadata"]["name"], template)
    assert not problems, "\n".join(problems)


def _konto_pod(rendered: Render, overlay: str = "prod") -> Doc:
    return copy.deepcopy(one(rendered(overlay), "Deployment", "konto-auth")["spec"]["template"])


def _container(pod: Doc) -> Doc:
    return pod["spec"]["containers"][0]


MUTATIONS: dict[str, Callable[[Doc], None]] = {
    "runs as root": lambda p: (
        p["spec"]["securityContext"].update(runAsUser=0),
        _container(p)["securityContext"].pop("runAsNonRoot"),
        p["spec"]["securityContext"].pop("runAsNonRoot"),
    ),
    "writable root filesystem": lambda p: _container(p)["securityContext"].update(
        readOnlyRootFilesystem=False
    ),
    "privilege escalation": lambda p: _container(p)["securityContext"].update(
        allowPrivilegeEscalation=True
    ),
    "keeps capabilities": lambda p: _container(p)["securityContext"].update(capabilities={}),
    "adds a capability": lambda p: _container(p)["securityContext"]["capabilities"].update(
        add=["NET_ADMIN"]
    ),
    "privileged": lambda p: _container(p)["securityContext"].update(privileged=True),
    "no seccomp profile": lambda p: p["spec"]["securityContext"].pop("seccompProfile"),
    "no limits": lambda p: _container(p)["resources"].pop("limits"),
    "no memory request": lambda p: _container(p)["resources"]["requests"].pop("memory"),
    "no liveness probe": lambda p: _container(p).pop("livenessProbe"),
    "no readiness probe": lambda p: _container(p).pop("readinessProbe"),
    "no startup probe": lambda p: _container(p).pop("startupProbe"),
    "host network": lambda p: p["spec"].update(hostNetwork=True),
    "service account token": lambda p: p["spec"].update(automountServiceAccountToken=True),
    "no /tmp": lambda p: _container(p).pop("volumeMounts"),
    "unpinned image": lambda p: _container(p).update(image="konto/auth:latest"),
}


@pytest.mark.parametrize("mutation", sorted(MUTATIONS))
def test_hardening_check_catches(rendered: Render, mutation: str) -> None:
    """The checker itself: a rendered pod passes, and each broken rule is reported."""
    pod = _konto_pod(rendered)
    assert hardening_violations("Deployment", "konto-auth", pod) == []
    MUTATIONS[mutation](pod)
    assert hardening_violations("Deployment", "konto-auth", pod), f"{mutation} not caught"
