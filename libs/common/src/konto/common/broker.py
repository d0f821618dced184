"""Kafka broker factory: every producer is idempotent and waits for all in-sync replicas."""

from faststream.kafka import KafkaBroker

from konto.common.settings import ServiceSettings


def make_broker(settings: ServiceSettings, service: str) -> KafkaBroker:
    return KafkaBroker(
        settings.kafka_bootstrap,
        client_id=f"konto-{service}",
        enable_idempotence=True,
        acks="all",
        request_timeout_ms=15_000,
        graceful_timeout=10.0,
    )


def consumer_group(settings: ServiceSettings, service: str, name: str) -> str:
    return f"{settings.kafka_group_prefix}konto-{service}.{name}"
