"""What the overlays make of the base: dev and prod exist and fill every platform value; dev
runs its own servers (Strimzi Kafka, a MongoDB replica set, Mailpit, versitygw), prod none of
them, more replicas, and reaches its servers by IP range."""

from __future__ import annotations

import importlib
import pkgutil
import re
from base64 import b64decode

from konto.common import events
from konto.common.events import topics
from tests.contracts.k8s.support import (
    OVERLAYS,
    S3_SERVICES,
    SERVICES,
    STRIMZI_KINDS,
    Doc,
    Render,
    find,
    konto_config,
    konto_secret_name,
    one,
)

PLACEHOLDER = "<platform>"
TOPIC = re.compile(r"konto\.[a-z]+\.[a-z]+")


def test_dev_and_prod_overlays_exist() -> None:
    assert {"dev", "prod"} <= set(OVERLAYS), OVERLAYS


def test_overlay_fills_every_platform_value(docs: list[Doc], overlay: str) -> None:
    leftover = [f"{d['kind']}/{d['metadata']['name']}" for d in docs if PLACEHOLDER in repr(d)]
    assert not leftover, f"{overlay}: {PLACEHOLDER} left in {leftover} (platform.yaml)"


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


def test_dev_runs_its_own_servers(rendered: Render) -> None:
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


def test_prod_runs_only_konto_and_more_of_it(rendered: Render) -> None:
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
