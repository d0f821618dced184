"""When a failed delivery is tried again (NOT-4). Pure: the caller passes the random factor."""

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int
    base_seconds: float
    max_seconds: float

    def delay(self, attempts: int, jitter: float) -> timedelta:
        """Wait after the `attempts`-th failed try: exponential, capped, times `jitter` (drawn
        from [0.5, 1.5) by the caller) so that deliveries failed together do not retry in a
        thundering herd when the provider comes back."""
        exponential = self.base_seconds * 2 ** max(attempts - 1, 0)
        return timedelta(seconds=min(exponential, self.max_seconds) * jitter)

    def gives_up(self, attempts: int) -> bool:
        return attempts >= self.max_attempts

    def next_attempt_at(self, now: datetime, attempts: int, jitter: float) -> datetime:
        return now + self.delay(attempts, jitter)
