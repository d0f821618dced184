"""What every service process is made of: Mongo, the Kafka broker, the outbox and its relay,
idempotent consumers, JWT verification, health, metrics, problem+json and AsyncAPI, wired once.

A service builds a `Runtime`, registers its consumers and startup hooks, and asks it for the
FastAPI app. The app comes up even while Mongo or Kafka are down and reports not-ready until
both answer, connecting in the background meanwhile.
"""

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager, suppress
from datetime import timedelta
from typing import Any

import uvicorn
from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.responses import JSONResponse
from faststream.specification import AsyncAPI

from konto.common.broker import consumer_group, make_broker
from konto.common.consumer import Accepts, Handler, IdempotentConsumer, accept_all
from konto.common.errors import install_problem_handlers, problem_response
from konto.common.jwt import JwksVerifier
from konto.common.logging import configure_logging
from konto.common.metrics import OUTBOX_BACKLOG, install_metrics
from konto.common.mongo import Mongo
from konto.common.openapi import document_problems
from konto.common.outbox import Outbox
from konto.common.settings import ServiceSettings
from konto.common.tracing import configure_tracing, current_traceparent

log = logging.getLogger(__name__)

StartupHook = Callable[[], Awaitable[None]]
PROBE_TIMEOUT = 2.0


class Runtime:
    def __init__(self, name: str, settings: ServiceSettings, *, version: str = "0.1.0") -> None:
        self.name = name
        self.version = version
        self.settings = settings
        self.mongo = Mongo(settings.mongo_url, settings.mongo_db)
        self.broker = make_broker(settings, name)
        self.outbox = Outbox(self.mongo, self.broker)
        self.jwks = JwksVerifier(
            settings.jwks_url, settings.jwt_issuer, cache_seconds=settings.jwks_cache_seconds
        )
        self.consumers: list[IdempotentConsumer] = []
        self._startup_hooks: list[StartupHook] = [self.outbox.ensure_indexes]
        self._started = asyncio.Event()

    def on_startup(self, hook: StartupHook) -> None:
        """Run once Mongo answers, before consumers start (index creation, key bootstrap)."""
        self._startup_hooks.append(hook)

    def consumer(
        self, name: str, *topics: str, handler: Handler, accepts: Accepts = accept_all
    ) -> IdempotentConsumer:
        """`accepts` tells cheaply which events the handler acts on; the others are skipped
        without touching MongoDB, which keeps a consumer fast on a busy topic."""
        consumer = IdempotentConsumer(
            name=f"{self.name}.{name}",
            mongo=self.mongo,
            broker=self.broker,
            outbox=self.outbox,
            handler=handler,
            accepts=accepts,
            max_attempts=self.settings.consumer_max_attempts,
            retry_base_seconds=self.settings.consumer_retry_base_seconds,
        )
        consumer.subscribe(
            *topics,
            group_id=consumer_group(self.settings, self.name, name),
            offset_reset=self.settings.kafka_offset_reset,
        )
        self.consumers.append(consumer)
        self._startup_hooks.append(consumer.ensure_indexes)
        return consumer

    def publishes(self, topic: str, schema: Any, description: str) -> None:
        """Declare a topic this service writes (through the outbox), for the AsyncAPI document."""
        self.broker.publisher(topic, schema=schema, description=description, include_in_schema=True)

    async def ready(self) -> dict[str, bool]:
        mongo_ok, kafka_ok = await asyncio.gather(self._mongo_ok(), self._kafka_ok())
        checks = {"mongo": mongo_ok, "kafka": kafka_ok, "started": self._started.is_set()}
        if self.settings.kafka_offset_reset == "latest":
            # A new group starting at the end skips whatever comes before its assignment.
            checks["consuming"] = all(c.assigned() for c in self.consumers)
        return checks

    async def _mongo_ok(self) -> bool:
        try:
            return await asyncio.wait_for(self.mongo.ping(), PROBE_TIMEOUT)
        except TimeoutError:
            return False

    async def _kafka_ok(self) -> bool:
        if not self._started.is_set():
            return False
        try:
            return await self.broker.ping(timeout=PROBE_TIMEOUT)
        except Exception:
            return False

    async def _bring_up(self) -> None:
        delay = 0.5
        for hook in self._startup_hooks:
            while True:
                try:
                    await hook()
                    break
                except Exception as exc:
                    log.warning("startup step waiting for MongoDB", extra={"error": str(exc)})
                    await asyncio.sleep(delay)
                    delay = min(delay * 2, 10.0)
        delay = 0.5
        while True:
            try:
                await self.broker.start()
                break
            except Exception as exc:
                log.warning("waiting for Kafka", extra={"error": str(exc)})
                with suppress(Exception):
                    await self.broker.stop()
                await asyncio.sleep(delay)
                delay = min(delay * 2, 10.0)
        self._started.set()
        log.info("service started", extra={"consumers": [c.name for c in self.consumers]})
        await self.outbox.run_relay(
            self.settings.outbox_relay_interval_seconds,
            timedelta(seconds=self.settings.outbox_relay_grace_seconds),
        )

    @asynccontextmanager
    async def _lifespan(self, app: FastAPI) -> AsyncIterator[None]:
        configure_logging(self.name, self.settings.log_level)
        configure_tracing(self.name)
        task = asyncio.create_task(self._bring_up(), name=f"{self.name}-bring-up")
        try:
            yield
        finally:
            task.cancel()
            with suppress(asyncio.CancelledError):
                await task
            with suppress(Exception):
                await self.broker.stop()
            await self.jwks.close()
            await self.mongo.close()

    def create_app(
        self, *, title: str, description: str, routers: Sequence[APIRouter] = ()
    ) -> FastAPI:
        app = FastAPI(
            title=title, description=description, version=self.version, lifespan=self._lifespan
        )
        app.state.runtime = self
        app.state.jwks = self.jwks
        install_problem_handlers(app)
        document_problems(app)
        install_metrics(app, self._refresh_metrics)
        _install_tracing(app)
        for router in routers:
            app.include_router(router)
        app.include_router(self._operations_router(title))
        return app

    async def _refresh_metrics(self) -> None:
        """Per scrape: the outbox backlog (-1 while MongoDB does not answer) and each
        consumer's lag."""
        try:
            OUTBOX_BACKLOG.set(await asyncio.wait_for(self.outbox.backlog(), PROBE_TIMEOUT))
        except Exception:
            OUTBOX_BACKLOG.set(-1)
        for consumer in self.consumers:
            with suppress(Exception):  # a consumer between assignments has no lag to show
                await consumer.record_lag()

    def _operations_router(self, title: str) -> APIRouter:
        router = APIRouter(tags=["operations"])
        asyncapi = AsyncAPI(self.broker, title=f"{title} events", version=self.version)

        @router.get("/healthz", summary="Liveness: the process answers")
        async def healthz() -> dict[str, str]:
            return {"status": "ok"}

        @router.get("/readyz", summary="Readiness: MongoDB and Kafka answer")
        async def readyz() -> Response:
            checks = await self.ready()
            OUTBOX_BACKLOG.set(await self.outbox.backlog() if checks["mongo"] else -1)
            if all(checks.values()):
                return JSONResponse({"status": "ready", "checks": checks})
            failing = ", ".join(name for name, ok in checks.items() if not ok)
            return problem_response(
                503, "Not ready", f"waiting for: {failing}", code="not-ready", checks=checks
            )

        @router.get("/asyncapi.json", summary="AsyncAPI document of the topics in and out")
        async def asyncapi_json() -> Response:
            return Response(asyncapi.to_specification().to_json(), media_type="application/json")

        return router


def _install_tracing(app: FastAPI) -> None:
    """FastAPI's own OpenTelemetry support makes the server span of each request (named after
    the route, e.g. "POST /v1/sessions", under the caller's `traceparent`) once
    `configure_tracing` has installed a provider; this only tells the caller where it is."""

    @app.middleware("http")
    async def _trace(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        response = await call_next(request)
        response.headers["traceparent"] = current_traceparent() or ""
        return response


def serve(app: str, settings: ServiceSettings, service: str) -> None:
    """Entry point of `python -m konto.<service>`: uvicorn with the JSON logger."""
    configure_logging(service, settings.log_level)
    configure_tracing(service)
    uvicorn.run(
        app,
        host=settings.http_host,
        port=settings.http_port,
        log_config=None,
        proxy_headers=True,
        forwarded_allow_ips="127.0.0.1",
    )
