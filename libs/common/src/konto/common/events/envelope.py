"""The one event envelope (CloudEvents attributes). Depends on pydantic and the stdlib only,
so a subscriber in another repository can use the models without the rest of Konto."""

import os
import time
import uuid
from datetime import UTC, datetime
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field


def uuid7() -> uuid.UUID:
    """RFC 9562 UUIDv7: 48-bit Unix milliseconds, then random bits; sorts by creation time."""
    millis = time.time_ns() // 1_000_000
    rand = int.from_bytes(os.urandom(10), "big")
    value = (millis & ((1 << 48) - 1)) << 80
    value |= 0x7 << 76  # version
    value |= (rand >> 68) << 64 & (0xFFF << 64)  # rand_a, 12 bits
    value |= 0b10 << 62  # variant
    value |= rand & ((1 << 62) - 1)  # rand_b
    return uuid.UUID(int=value)


def utcnow() -> datetime:
    return datetime.now(UTC)


class EventData(BaseModel):
    """Payload base: unknown fields are kept, so an older reader accepts a newer minor change."""

    model_config = ConfigDict(extra="allow", frozen=True)


class Event(BaseModel):
    """Envelope fields shared by every event; subclasses pin `type` and `data`.

    `subject` is the aggregate id and the Kafka key, so one aggregate's events keep their order.
    """

    model_config = ConfigDict(frozen=True)

    topic: ClassVar[str]

    specversion: Literal["1.0"] = "1.0"
    id: str = Field(default_factory=lambda: str(uuid7()))
    type: str
    source: str
    subject: str
    time: datetime = Field(default_factory=utcnow)
    datacontenttype: Literal["application/json"] = "application/json"
    traceparent: str | None = None
    data: Any

    def to_json(self) -> bytes:
        return self.model_dump_json().encode()
