"""A sliding-window limit on the recovery endpoints per identifier. Known and unknown
identifiers are limited alike, so a 429 tells nothing about an account."""

from datetime import timedelta

from konto.auth.domain.throttle import retry_after
from konto.auth.service.login_guard import Throttled
from konto.auth.store.request_log import RequestLog
from konto.common.events import utcnow


class RequestLimit:
    def __init__(self, log: RequestLog, *, max_requests: int, window_seconds: int) -> None:
        self.log = log
        self.max_requests = max_requests
        self.window = timedelta(seconds=window_seconds)

    async def take(self, key: str) -> None:
        """Count one request; raises Throttled (429 with Retry-After) past the limit."""
        now = utcnow()
        recent = await self.log.recent(key, now - self.window, self.max_requests)
        wait = retry_after(recent, max_failures=self.max_requests, window=self.window, now=now)
        if wait is not None:
            raise Throttled(wait)
        await self.log.add(key, now)
