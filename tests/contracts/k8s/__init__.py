"""Contract checks for deploy/k8s; no cluster needed.

Every overlay under deploy/k8s/overlays is rendered with kustomize (scripts/install-kustomize
builds it into the cache; a missing binary fails the run, it never skips). The rendered core
objects are validated, strictly (an unknown field fails), against the Kubernetes OpenAPI schemas
that kubernetes-validate ships, for the oldest Kubernetes we support and the newest it knows;
Strimzi's custom resources have no schema there and are checked for their API group, kind and
spec instead. Then the rules the platform relies on, written out over the rendered YAML:
every pod hardened (non-root, read-only root filesystem, no capabilities, no privilege
escalation, RuntimeDefault seccomp, requests and limits, probes), each service complete
(Deployment, Service, ServiceAccount, ConfigMap, Secret reference, HPA, PDB, NetworkPolicy),
the network open only where the architecture needs it, the Ingress routing /<service>/ to each
service, dev running its own servers and prod none.

The package:

- conftest.py: kustomize, renders (each target once per session), the `overlay`/`docs` fixtures
- support.py: the expected services, finding rendered objects, label selectors
- test_schemas.py: kustomize itself; every rendered object against the Kubernetes schemas
- test_hardening.py: the pod rules, and the rule checker's own test
- test_services.py: each service's objects and their wiring, its settings and Secret
- test_network.py: what each service may reach, and that every policy's peers exist
- test_ingress.py: /<service>/ routed to each service, nothing internal public
- test_overlays.py: dev and prod fill every platform value; dev's servers, prod's scale
"""
