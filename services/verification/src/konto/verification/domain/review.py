"""The review queue's clock (VER-3): how long a submitted case has waited against the target."""

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class Wait:
    waited_seconds: int
    target_seconds: int
    overdue: bool


def wait_of(submitted_at: datetime, now: datetime, target: timedelta) -> Wait:
    waited = max(now - submitted_at, timedelta(0))
    return Wait(
        waited_seconds=int(waited.total_seconds()),
        target_seconds=int(target.total_seconds()),
        overdue=waited > target,
    )


def queue_order(priority: int, submitted_at: datetime) -> tuple[int, datetime]:
    """Highest priority (1) first, then the longest-waiting."""
    return (priority, submitted_at)
