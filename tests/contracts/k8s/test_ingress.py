"""The Ingress routes /<service>/ to each service's public API, and nothing internal."""

from __future__ import annotations

import re

from tests.contracts.k8s.support import SERVICES, Doc, one


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
