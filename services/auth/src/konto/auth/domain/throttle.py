"""Brute-force rules (AUTH-5): a sliding window of failed logins per identifier and per client
address, and the lock after N consecutive failures. Pure: the store supplies the timestamps."""

import math
from datetime import datetime, timedelta


def retry_after(
    recent_failures: list[datetime], *, max_failures: int, window: timedelta, now: datetime
) -> int | None:
    """Seconds until one more attempt is allowed, or None when the caller may try now.

    `recent_failures` are the failures inside the window (any order). Once `max_failures` of
    them are inside it, the next attempt waits until the oldest of the newest `max_failures`
    slides out."""
    inside = sorted((t for t in recent_failures if t > now - window), reverse=True)
    if len(inside) < max_failures:
        return None
    frees_at = inside[max_failures - 1] + window
    return max(1, math.ceil((frees_at - now).total_seconds()))


def reaches_lock(consecutive_failures: int, threshold: int) -> bool:
    return consecutive_failures >= threshold


def identifier_key(raw: str, normalized: str | None) -> str:
    """Failures count against the normalised id when it parses, else the raw text, so that
    `Anna@X.ch` and `anna@x.ch` share one budget and garbage ids still get one."""
    return normalized or raw.strip().lower()[:320]
