"""Requests made safe to retry with an `Idempotency-Key` (BIL-4, BIL-8)."""

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from konto.billing.store.idempotency import IdempotencyRecords
from konto.common.errors import Problem


@dataclass(frozen=True)
class Answer:
    status: int
    body: dict[str, Any]


def fingerprint(operation: str, request: dict[str, Any]) -> str:
    raw = json.dumps({"op": operation, **request}, sort_keys=True, default=str)
    return hashlib.sha256(raw.encode()).hexdigest()


def replay(record: dict[str, Any] | None, print_: str) -> Answer | None:
    """The stored answer of an earlier request with this key, if any; the same key with a
    different request is refused rather than silently answered with the first result."""
    if record is None:
        return None
    if record["fingerprint"] != print_:
        raise Problem(
            422,
            "Idempotency key reused",
            "this Idempotency-Key was used for a different request",
            code="idempotency-key-reused",
        )
    return Answer(record["status"], record["body"])


async def earlier_answer(
    records: IdempotencyRecords, org_id: str, key: str, print_: str
) -> Answer | None:
    return replay(await records.get(org_id, key), print_)
