"""Each of the five services is complete: Deployment, Service, ServiceAccount, ConfigMap,
Secret reference, HPA, PDB and NetworkPolicy, wired to one another; its settings split between
the ConfigMap and the Secret, whose keys deploy/k8s/README.md documents."""

from __future__ import annotations

import base64
import importlib
import os
import re
import secrets

import pytest

from tests.contracts.k8s.support import (
    K8S,
    SERVICES,
    Doc,
    Render,
    find,
    konto_config,
    konto_secret_name,
    one,
    selects,
)

# What each service's Secret holds (deploy/k8s/README.md documents the same keys).
SECRET_KEYS = {
    "auth": {"MONGO_URL", "ENCRYPTION_KEY", "COMMAND_KEY"},
    "orgs": {"MONGO_URL", "S3_ACCESS_KEY", "S3_SECRET_KEY"},
    "billing": {"MONGO_URL", "S3_ACCESS_KEY", "S3_SECRET_KEY"},
    "verification": {"MONGO_URL", "S3_ACCESS_KEY", "S3_SECRET_KEY", "COMMAND_KEY"},
    "notify": {"MONGO_URL", "COMMAND_KEY"},
}
# Setting names that must never sit in a ConfigMap.
SECRET_WORDS = ("KEY", "SECRET", "PASSWORD", "TOKEN", "MONGO_URL")


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


# Secrets prod needs beyond the ones dev generates: the real card processor's key.
PROD_ONLY_SECRET_KEYS = {"billing": {"STRIPE_SECRET_KEY"}}
SETTINGS = {
    "auth": "konto.auth.config:AuthSettings",
    "orgs": "konto.orgs.config:OrgsSettings",
    "billing": "konto.billing.config:BillingSettings",
    "verification": "konto.verification.config:VerificationSettings",
    "notify": "konto.notify.config:NotifySettings",
}


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_prod_settings_start_with_the_documented_secrets(
    rendered: Render, service: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A pod gets its ConfigMap plus the Secret keys deploy/k8s/README.md lists: with those
    alone, its settings must load under ENVIRONMENT=prod (no dev-only secret left over)."""
    prefix = f"KONTO_{service.upper()}_"
    readme = (K8S / "README.md").read_text(encoding="utf-8")
    secret_keys = SECRET_KEYS[service] | PROD_ONLY_SECRET_KEYS.get(service, set())
    for key in PROD_ONLY_SECRET_KEYS.get(service, set()):
        assert f"{prefix}{key}" in readme, f"README: document {key}"
    for name in list(os.environ):
        if name.startswith(prefix):
            monkeypatch.delenv(name)
    for name, value in konto_config(rendered("prod"), service).items():
        monkeypatch.setenv(name, value)
    for key in secret_keys:
        monkeypatch.setenv(f"{prefix}{key}", base64.b64encode(secrets.token_bytes(32)).decode())
    module, cls = SETTINGS[service].split(":")
    settings = getattr(importlib.import_module(module), cls)()
    assert settings.environment == "prod"
