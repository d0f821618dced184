"""NetworkPolicies: each service is isolated both ways and may reach only what the architecture
needs, and every in-cluster peer a policy names is a pod of the render, on the allowed port."""

from __future__ import annotations

import pytest

from tests.contracts.k8s.support import S3_SERVICES, SERVICES, Doc, find, one, selects, workloads


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
