"""The delivery log for support (NOT-4): who got which message, through which channel, and how
the attempts went."""

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel

from konto.notify.api.deps import DeliveriesDep, SupportClaims
from konto.notify.store.deliveries import DeliveryFilter

router = APIRouter(prefix="/v1/deliveries", tags=["deliveries"])

Status = Literal["sending", "pending", "sent", "failed", "suppressed"]


class DeliveryOut(BaseModel):
    id: str
    event_id: str
    event_type: str
    user_id: str
    channel: str
    template: str
    locale: str
    status: str
    attempts: int
    last_error: str | None = None
    next_attempt_at: datetime | None = None
    message_id: str | None = None
    created_at: datetime
    updated_at: datetime | None = None
    sent_at: datetime | None = None
    replays: int = 0

    @classmethod
    def of(cls, doc: dict[str, Any]) -> "DeliveryOut":
        pending = doc["status"] == "pending"
        return cls(
            id=doc["_id"],
            user_id=doc["recipient"],
            next_attempt_at=doc.get("next_attempt_at") if pending else None,
            **{
                k: doc[k]
                for k in cls.model_fields
                if k in doc and k not in ("id", "user_id", "next_attempt_at")
            },
        )


class DeliveryPage(BaseModel):
    items: list[DeliveryOut]
    page: int
    per_page: int
    next_page: int | None


@router.get("", summary="Delivery log for support, newest first (NOT-4)")
async def list_deliveries(
    _: SupportClaims,
    deliveries: DeliveriesDep,
    user_id: Annotated[str | None, Query(max_length=100, description="Recipient")] = None,
    event_type: Annotated[str | None, Query(max_length=200)] = None,
    status: Status | None = None,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=200)] = 50,
) -> DeliveryPage:
    rows = await deliveries.page(
        DeliveryFilter(recipient=user_id, event_type=event_type, status=status),
        skip=(page - 1) * per_page,
        limit=per_page + 1,
    )
    return DeliveryPage(
        items=[DeliveryOut.of(doc) for doc in rows[:per_page]],
        page=page,
        per_page=per_page,
        next_page=page + 1 if len(rows) > per_page else None,
    )
