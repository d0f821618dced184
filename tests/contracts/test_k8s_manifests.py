"""Contract checks for deploy/k8s; no cluster needed.

Every overlay under deploy/k8s/overlays is rendered with kustomize (scripts/install-kustomize
builds it into the cache; a missing binary fails the run, it never skips). The rendered core
objects are validated, strictly (an unknown field fails), against the Kubernetes OpenAPI schemas
that kubernetes-validate ships, for the oldest Kubernetes we support and the newest it knows;
Strimzi's custom resources have no schema there and are checked for their API group, kind and
spec instead. Then the rules the platform relies on, written out below over the rendered YAML:
every pod hardened (non-root, read-only root filesystem, no capabilities, no privilege
escalation, RuntimeDefault seccomp, requests and limits, probes), each service complete
(Deployment, Service, ServiceAccount, ConfigMap, Secret reference, HPA, PDB, NetworkPolicy),
the network open only where the architecture needs it, the Ingress routing /<service>/ to each
service, dev running its own servers and prod none.
"""

from __future__ import annotations

import copy
import functools
import importlib
import os
import pkgutil
import re
import shutil
import subprocess
from base64 import b64decode
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
from kubernetes_validate import utils as kubernetes_validate_utils
from kubernetes_validate.utils import latest_version
from ruamel.yaml import YAML

from konto.common import events
from konto.common.events import topics

ROOT = Path(__file__).resolve().parents[2]
K8S = ROOT / "deploy" / "k8s"
OVERLAYS = sorted(p.parent.name for p in (K8S / "overlays").glob("*/kustomization.yaml"))

# Service name -> HTTP port (DESIGN.md: "Local ports"; docker-compose.yml).
SERVICES = {"auth": 8001, "orgs": 8002, "billing": 8003, "verification": 8004, "notify": 8005}
S3_SERVICES = {"orgs", "billing", "verification"}
# What each service's Secret holds (deploy/k8s/README.md documents the same keys).
SECRET_KEYS = {
    "auth": {"MONGO_URL", "ENCRYPTION_KEY"},
    "orgs": {"MONGO_URL", "S3_ACCESS_KEY", "S3_SECRET_KEY"},
    "billing": {"MONGO_URL", "S3_ACCESS_KEY", "S3_SECRET_KEY"},
    "verification": {"MONGO_URL", "S3_ACCESS_KEY", "S3_SECRET_KEY", "COMMAND_KEY"},
    "notify": {"MONGO_URL", "COMMAND_KEY"},
}
# Setting names that must never sit in a ConfigMap.
SECRET_WORDS = ("KEY", "SECRET", "PASSWORD", "TOKEN", "MONGO_URL")
PLACEHOLDER = "<platform>"
TOPIC = re.compile(r"konto\.[a-z]+\.[a-z]+")

# The oldest Kubernetes these manifests support, and the newest kubernetes-validate knows.
KUBERNETES_VERSIONS = ("1.30", latest_version())
# Custom resources without a schema in kubernetes-validate: their group's kinds.
STRIMZI_API = "kafka.strimzi.io/v1"
STRIMZI_KINDS = {"Kafka", "KafkaNodePool", "KafkaTopic"}

POD_TEMPLATE_KINDS = {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job"}
LONG_RUNNING_KINDS = {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"}

Doc = dict[str, Any]


# ---------------------------------------------------------------------------------------------
# Rendering
# ---------------------------------------------------------------------------------------------


def _kustomize() -> str:
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


def _render(target: Path) -> list[Doc]:
    result = subprocess.run(
        [_kustomize(), "build", str(target)], capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        pytest.fail(f"kustomize build {target.relative_to(ROOT)} failed:\n{result.stderr}")
    docs = [d for d in YAML(typ="safe", pure=True).load_all(result.stdout) if d is not None]
    assert docs, f"kustomize build {target.relative_to(ROOT)} rendered nothing"
    return docs


_RENDERED: dict[str, list[Doc]] = {}


def rendered(target: str) -> list[Doc]:
    """`base` or an overlay's name, rendered once per test session."""
    if target not in _RENDERED:
        path = K8S / "base" if target == "base" else K8S / "overlays" / target
        _RENDERED[target] = _render(path)
    return _RENDERED[target]


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


@pytest.fixture(params=OVERLAYS)
def overlay(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def docs(overlay: str) -> list[Doc]:
    return rendered(overlay)


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


# ---------------------------------------------------------------------------------------------
# Hardening rules, over one pod spec
# ---------------------------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------------------------
# Rendering and schemas
# ---------------------------------------------------------------------------------------------


def test_kustomize_is_installed() -> None:
    version = subprocess.run(
        [_kustomize(), "version"], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert version.startswith("v5."), f"kustomize {version}: v5 expected"


def test_dev_and_prod_overlays_exist() -> None:
    assert {"dev", "prod"} <= set(OVERLAYS), OVERLAYS


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
def test_objects_match_kubernetes_schemas(target: str) -> None:
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


def test_overlay_fills_every_platform_value(docs: list[Doc], overlay: str) -> None:
    leftover = [f"{d['kind']}/{d['metadata']['name']}" for d in docs if PLACEHOLDER in repr(d)]
    assert not leftover, f"{overlay}: {PLACEHOLDER} left in {leftover} (platform.yaml)"


# ---------------------------------------------------------------------------------------------
# Pods
# ---------------------------------------------------------------------------------------------


def test_every_pod_is_hardened(docs: list[Doc]) -> None:
    problems: list[str] = []
    for doc, template in workloads(docs):
        problems += hardening_violations(doc["kind"], doc["metadata"]["name"], template)
    assert not problems, "\n".join(problems)


def _konto_pod(overlay: str = "prod") -> Doc:
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
def test_hardening_check_catches(mutation: str) -> None:
    """The checker itself: a rendered pod passes, and each broken rule is reported."""
    pod = _konto_pod()
    assert hardening_violations("Deployment", "konto-auth", pod) == []
    MUTATIONS[mutation](pod)
    assert hardening_violations("Deployment", "konto-auth", pod), f"{mutation} not caught"


# ---------------------------------------------------------------------------------------------
# The five services
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_service_is_complete(docs: list[Doc], service: str) -> None:
    name, port = f"konto-{service}", SERVICES[service]
    prefix = f"KONTO_{service.upper()}_"
    deployment = one(docs, "Deployment", name)
    template = deployment["spec"]["template"]
    spec, labels = template["spec"], template["metadata"]["labels"]
    assert selects(deployment["spec"]["selector"], labels)
    assert "replicas" not in deployment["spec"], "the HPA owns the replica count"

    sc = spec["securityContext"]
    assert (sc["runAsNonRoot"], sc["runAsUser"]) == (True, 10001), "the image's user"
    assert sc.get("fsGroup"), "fsGroup"
    assert spec["enableServiceLinks"] is False, "service links would set KONTO_<SVC>_PORT etc."

    (container,) = spec["containers"]
    assert container["image"].split("@")[0].rsplit(":", 1)[0].endswith(f"konto/{service}")
    ports = {p["name"]: p["containerPort"] for p in container["ports"]}
    assert ports == {"http": port}
    probes = {
        probe: (container[probe]["httpGet"]["path"], container[probe]["httpGet"]["port"])
        for probe in ("startupProbe", "livenessProbe", "readinessProbe")
    }
    assert probes == {
        "startupProbe": ("/healthz", "http"),
        "livenessProbe": ("/healthz", "http"),
        "readinessProbe": ("/readyz", "http"),
    }

    # Settings: non-secret ones from its ConfigMap, then its Secret (never committed in prod).
    refs = container["envFrom"]
    assert [next(iter(r)) for r in refs] == ["configMapRef", "secretRef"]
    secret_ref = refs[1]["secretRef"]
    assert re.fullmatch(rf"konto-{service}-secrets(-[a-z0-9]+)?", secret_ref["name"])
    assert not secret_ref.get("optional"), "a missing Secret must stop the pod, not start it bare"
    config = konto_config(docs, service)
    assert all(key.startswith(prefix) for key in config), "keys outside the service's prefix"
    assert config[f"{prefix}HTTP_PORT"] == str(port)
    assert config[f"{prefix}JWKS_URL"] == "http://konto-auth:8001/.well-known/jwks.json"
    leaked = [k for k in config if any(word in k.removeprefix(prefix) for word in SECRET_WORDS)]
    assert not leaked, f"secrets in the ConfigMap: {leaked}"

    account = one(docs, "ServiceAccount", name)
    assert spec["serviceAccountName"] == name
    assert account["automountServiceAccountToken"] is False
    assert spec["automountServiceAccountToken"] is False

    svc = one(docs, "Service", name)
    assert selects({"matchLabels": svc["spec"]["selector"]}, labels)
    assert [(p["name"], p["port"], p["targetPort"]) for p in svc["spec"]["ports"]] == [
        ("http", port, "http")
    ]

    hpa = one(docs, "HorizontalPodAutoscaler", name)
    assert hpa["apiVersion"] == "autoscaling/v2"
    assert hpa["spec"]["scaleTargetRef"] == {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "name": name,
    }
    assert 1 <= hpa["spec"]["minReplicas"] <= hpa["spec"]["maxReplicas"]
    assert [m["resource"]["name"] for m in hpa["spec"]["metrics"]] == ["cpu"]

    pdb = one(docs, "PodDisruptionBudget", name)
    assert selects(pdb["spec"]["selector"], labels)
    assert pdb["spec"]["selector"].get("matchLabels"), "a PDB must not select every pod"

    policy = one(docs, "NetworkPolicy", name)
    assert policy["spec"]["podSelector"].get("matchLabels"), "must not select every pod"
    assert selects(policy["spec"]["podSelector"], labels)
    assert set(policy["spec"]["policyTypes"]) == {"Ingress", "Egress"}


def test_settings_that_are_secrets_come_from_secrets(docs: list[Doc], overlay: str) -> None:
    """Prod commits no Secret at all; dev generates exactly the keys the README documents."""
    secrets = find(docs, "Secret")
    readme = (K8S / "README.md").read_text(encoding="utf-8")
    for service, keys in SECRET_KEYS.items():
        for key in keys:
            assert f"KONTO_{service.upper()}_{key}" in readme, f"README: document {key}"
    if overlay == "prod":
        assert not secrets, "prod must not carry Secret values"
        return
    for service, keys in SECRET_KEYS.items():
        secret = one(docs, "Secret", konto_secret_name(docs, service))
        prefix = f"KONTO_{service.upper()}_"
        assert {k.removeprefix(prefix) for k in secret["data"]} == keys


# ---------------------------------------------------------------------------------------------
# Network
# ---------------------------------------------------------------------------------------------


def _pods(docs: list[Doc]) -> list[tuple[str, dict[str, str], set[int]]]:
    """(what, labels, container ports) of every pod the render runs, Strimzi's brokers too."""
    pods = []
    for doc, template in workloads(docs):
        ports = {
            p["containerPort"] for c in template["spec"]["containers"] for p in c.get("ports", [])
        }
        pods.append((doc["metadata"]["name"], template["metadata"].get("labels", {}), ports))
    for kafka in find(docs, "Kafka"):
        labels = kafka["spec"]["kafka"]["template"]["pod"]["metadata"]["labels"]
        ports = {listener["port"] for listener in kafka["spec"]["kafka"]["listeners"]}
        pods.append((f"Kafka/{kafka['metadata']['name']}", labels, ports))
    return pods


def _expected_egress(service: str) -> set[str]:
    needs = {"dns", "kafka", "mongodb"}
    if service != "auth":
        needs.add("jwks")
    if service in S3_SERVICES:
        needs.add("s3")
    if service == "notify":
        needs.add("smtp")
    return needs


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_network_allows_only_what_the_service_needs(docs: list[Doc], service: str) -> None:
    name = f"konto-{service}"
    labels = one(docs, "Deployment", name)["spec"]["template"]["metadata"]["labels"]
    policies = [p for p in find(docs, "NetworkPolicy") if selects(p["spec"]["podSelector"], labels)]
    egress: set[str] = set()
    ingress: set[str] = set()
    for policy in policies:
        pname = policy["metadata"]["name"]
        what = "dns" if pname == name else pname.removeprefix("konto-allow-")
        for rule in policy["spec"].get("egress") or []:
            assert rule.get("to"), f"{pname}: egress to any address"
            assert rule.get("ports"), f"{pname}: egress on any port"
            egress.add(what)
        for rule in policy["spec"].get("ingress") or []:
            assert rule.get("from"), f"{pname}: ingress from any address"
            assert rule.get("ports"), f"{pname}: ingress on any port"
            ingress.add(pname.removeprefix("konto-"))
    isolated = {t for p in policies for t in p["spec"]["policyTypes"]}
    assert isolated == {"Ingress", "Egress"}, f"{name} is not isolated both ways"
    assert egress == _expected_egress(service)
    expected_in = {"allow-ingress"} | ({"auth-allow-jwks"} if service == "auth" else set())
    assert ingress == expected_in

    own = one(docs, "NetworkPolicy", name)["spec"]
    assert own["ingress"] == []
    dns_ports = {(p["protocol"], p["port"]) for r in own["egress"] for p in r["ports"]}
    assert dns_ports == {("UDP", 53), ("TCP", 53)}


def test_network_peers_exist(docs: list[Doc], overlay: str) -> None:
    """A podSelector peer must match a pod of the render on the allowed port (dev's servers,
    auth), so a label or port typo cannot silently cut a service off."""
    pods = _pods(docs)
    problems = []
    for policy in find(docs, "NetworkPolicy"):
        for rule in policy["spec"].get("egress") or []:
            for peer in rule["to"]:
                if "podSelector" not in peer or "namespaceSelector" in peer:
                    continue
                matches = [p for p in pods if selects(peer["podSelector"], p[1])]
                if not matches:
                    problems.append(f"{policy['metadata']['name']}: no pod matches {peer}")
                for what, _, ports in matches:
                    for port in rule["ports"]:
                        named = port["port"] == "http" and what.startswith("konto-")
                        if not named and port["port"] not in ports:
                            problems.append(f"{policy['metadata']['name']}: {what} has no {port}")
    assert not problems, f"{overlay}:\n" + "\n".join(problems)


def test_ingress_routes_each_prefix_to_its_service(docs: list[Doc]) -> None:
    ingress = one(docs, "Ingress", "konto")
    annotations = ingress["metadata"]["annotations"]
    assert annotations["nginx.ingress.kubernetes.io/use-regex"] == "true"
    rewrite = annotations["nginx.ingress.kubernetes.io/rewrite-target"]
    (rule,) = ingress["spec"]["rules"]
    assert rule["host"]
    routes = [
        (p["path"], p["backend"]["service"]["name"], p["backend"]["service"]["port"]["name"])
        for p in rule["http"]["paths"]
    ]

    def route(url: str) -> tuple[str, str] | None:
        """Where ingress-nginx sends `url` (case-insensitive regex anchored at the start)."""
        for path, backend, _ in routes:
            m = re.match(path, url, re.IGNORECASE)
            if m:
                # nginx's $1 is Python's \1
                return backend, m.expand(re.sub(r"\$(\d)", r"\\\1", rewrite))
        return None

    for service in SERVICES:
        backend = f"konto-{service}"
        assert route(f"/{service}/v1/things") == (backend, "/v1/things")
        assert route(f"/{service}/openapi.json") == (backend, "/openapi.json")
        for internal in ("metrics", "healthz", "readyz", "docs"):
            assert route(f"/{service}/{internal}") is None, f"/{service}/{internal} is public"
        port_names = {p["name"] for p in one(docs, "Service", backend)["spec"]["ports"]}
        assert {r[2] for r in routes if r[1] == backend} <= port_names
    assert route("/auth/.well-known/jwks.json") == ("konto-auth", "/.well-known/jwks.json")
    assert route("/orgs/.well-known/jwks.json") is None


# ---------------------------------------------------------------------------------------------
# The environments
# ---------------------------------------------------------------------------------------------


def _environment(docs: list[Doc]) -> set[str]:
    return {konto_config(docs, s)[f"KONTO_{s.upper()}_ENVIRONMENT"] for s in SERVICES}


def _topics_in_code() -> set[str]:
    """Every topic name that a module of konto.common.events defines (`NAME = "konto.x.y"`)."""
    found = set()
    for module in pkgutil.iter_modules(events.__path__):
        values = vars(importlib.import_module(f"{events.__name__}.{module.name}")).items()
        for name, value in values:
            if name.isupper() and isinstance(value, str) and TOPIC.fullmatch(value):
                found.add(value)
    return found


def test_dev_runs_its_own_servers() -> None:
    docs = rendered("dev")
    assert _environment(docs) == {"dev"}

    # Kafka: Strimzi, KRaft, one dual-role node pool; a topic and its DLQ per service.
    (kafka,) = find(docs, "Kafka")
    cluster = kafka["metadata"]["name"]
    (pool,) = find(docs, "KafkaNodePool")
    assert pool["metadata"]["labels"]["strimzi.io/cluster"] == cluster
    assert set(pool["spec"]["roles"]) == {"controller", "broker"}
    assert "zookeeper" not in kafka["spec"]
    kafka_topics = find(docs, "KafkaTopic")
    topic_names = {t["spec"].get("topicName", t["metadata"]["name"]) for t in kafka_topics}
    for topic in kafka_topics:
        assert topic["metadata"]["labels"]["strimzi.io/cluster"] == cluster
    in_code = _topics_in_code()
    assert {f"konto.{s}.events" for s in SERVICES} <= in_code
    missing = {t for topic in in_code for t in (topic, topics.dlq(topic))} - topic_names
    assert not missing, f"overlays/dev/kafka.yaml: no KafkaTopic for {sorted(missing)}"
    (plain,) = [x for x in kafka["spec"]["kafka"]["listeners"] if not x["tls"]]
    bootstrap = f"{cluster}-kafka-bootstrap:{plain['port']}"
    for s in SERVICES:
        assert konto_config(docs, s)[f"KONTO_{s.upper()}_KAFKA_BOOTSTRAP"] == bootstrap

    # MongoDB: a one-node replica set and the Job that initiates it.
    (mongo,) = find(docs, "StatefulSet")
    assert mongo["spec"]["replicas"] == 1
    args = mongo["spec"]["template"]["spec"]["containers"][0]["args"]
    replset = args[args.index("--replSet") + 1]
    jobs = [j for j in find(docs, "Job") if "rs.initiate" in repr(j)]
    assert len(jobs) == 1, "a Job must run rs.initiate"
    host = f"{mongo['metadata']['name']}-0.{mongo['spec']['serviceName']}:27017"
    assert f'host: "{host}"' in repr(jobs[0])
    assert f'_id: "{replset}"' in repr(jobs[0])
    for s in SERVICES:
        data = one(docs, "Secret", konto_secret_name(docs, s))["data"]
        url = b64decode(data[f"KONTO_{s.upper()}_MONGO_URL"]).decode()
        assert url == f"mongodb://{host}/?replicaSet={replset}"

    # Mailpit for notify, versitygw for the files.
    services = {d["metadata"]["name"]: d for d in find(docs, "Service")}
    notify = konto_config(docs, "notify")
    smtp = services[notify["KONTO_NOTIFY_SMTP_HOST"]]
    assert int(notify["KONTO_NOTIFY_SMTP_PORT"]) in {p["port"] for p in smtp["spec"]["ports"]}
    assert "axllent/mailpit:" in repr(one(docs, "Deployment", "mailpit"))
    assert "versity/versitygw:" in repr(one(docs, "Deployment", "s3"))
    for s in S3_SERVICES:
        endpoint = konto_config(docs, s)[f"KONTO_{s.upper()}_S3_ENDPOINT_URL"]
        m = re.fullmatch(r"http://([a-z0-9-]+):(\d+)", endpoint)
        assert m, endpoint
        assert int(m[2]) in {p["port"] for p in services[m[1]]["spec"]["ports"]}


def test_prod_runs_only_konto_and_more_of_it() -> None:
    docs, dev = rendered("prod"), rendered("dev")
    assert _environment(docs) == {"prod"}
    kinds = {d["kind"] for d in docs}
    in_cluster_servers = {"StatefulSet", "Job", "CronJob", "PersistentVolumeClaim"}
    assert not kinds & (STRIMZI_KINDS | in_cluster_servers | {"Secret"})
    assert {d["metadata"]["name"] for d in find(docs, "Deployment")} == {
        f"konto-{s}" for s in SERVICES
    }
    for s in SERVICES:
        hpa = one(docs, "HorizontalPodAutoscaler", f"konto-{s}")["spec"]
        dev_hpa = one(dev, "HorizontalPodAutoscaler", f"konto-{s}")["spec"]
        assert hpa["minReplicas"] >= 3 > dev_hpa["minReplicas"]
        assert hpa["maxReplicas"] > dev_hpa["maxReplicas"]
    # External servers are addressed by IP ranges, not by in-cluster pods.
    for what in ("kafka", "mongodb", "s3", "smtp"):
        policy = one(docs, "NetworkPolicy", f"konto-allow-{what}")
        peers = [peer for rule in policy["spec"]["egress"] for peer in rule["to"]]
        assert peers, what
        assert all(set(peer) == {"ipBlock"} for peer in peers), what
    ingress = one(docs, "Ingress", "konto")
    assert ingress["spec"]["tls"][0]["hosts"] == [ingress["spec"]["rules"][0]["host"]]
    namespace = one(docs, "Namespace", "konto")
    assert namespace["metadata"]["labels"]["pod-security.kubernetes.io/enforce"] == "restricted"
