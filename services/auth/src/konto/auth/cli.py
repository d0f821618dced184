"""Operator commands: `python -m konto.auth.cli unlock <email>`, `... rotate-keys`.

They use the service's own settings (KONTO_AUTH_*) and database. Events go through the outbox;
if Kafka is unreachable from here the running service's relay publishes them."""

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass
from datetime import timedelta

import typer

from konto.auth.config import AuthSettings
from konto.auth.service import admin
from konto.auth.service.login_guard import LoginGuard
from konto.auth.store.login_guards import LoginGuards
from konto.auth.store.signing_keys import SigningKeys
from konto.auth.store.users import Users
from konto.common.broker import make_broker
from konto.common.crypto import SecretBox
from konto.common.mongo import Mongo
from konto.common.outbox import Outbox

app = typer.Typer(help="Konto auth operator commands", no_args_is_help=True)
log = logging.getLogger(__name__)


@dataclass
class _Context:
    settings: AuthSettings
    mongo: Mongo
    outbox: Outbox


@asynccontextmanager
async def _context(*, kafka: bool = True) -> AsyncIterator[_Context]:
    settings = AuthSettings()
    mongo = Mongo(settings.mongo_url, settings.mongo_db)
    broker = make_broker(settings, "auth-cli")
    try:
        if kafka:
            await asyncio.wait_for(broker.start(), 15)
    except Exception:
        log.warning("Kafka unreachable; the service's outbox relay will publish the events")
    try:
        yield _Context(settings, mongo, Outbox(mongo, broker))
    finally:
        with suppress(Exception):
            await broker.stop()
        await mongo.close()


@app.callback()
def main() -> None:
    """Commands act on the database named by KONTO_AUTH_MONGO_URL / KONTO_AUTH_MONGO_DB."""


@app.command("unlock")
def unlock(email: str) -> None:
    """Unlock an account locked after too many failed logins (AUTH-5)."""

    async def run() -> bool:
        async with _context() as ctx:
            guard = LoginGuard(
                settings=ctx.settings, outbox=ctx.outbox, guards=LoginGuards(ctx.mongo.db)
            )
            return await admin.unlock(email, users=Users(ctx.mongo.db), guard=guard)

    if asyncio.run(run()):
        typer.echo(f"unlocked {email}")
    else:
        typer.echo(f"{email} was not locked", err=True)
        raise typer.Exit(1)


@app.command("rotate-keys")
def rotate_keys() -> None:
    """New signing key; the old one stays in the JWKS until its tokens have expired (AUTH-3)."""

    async def run() -> tuple[str, list[str]]:
        async with _context(kafka=False) as ctx:  # no events: keys are not in the catalog
            keys = SigningKeys(
                ctx.mongo.db, SecretBox.from_base64(ctx.settings.encryption_key.get_secret_value())
            )
            overlap = timedelta(
                seconds=ctx.settings.access_token_ttl_seconds
                + ctx.settings.signing_key_cache_seconds
            )
            return await keys.rotate(overlap)

    kid, retiring = asyncio.run(run())
    typer.echo(f"active {kid}")
    for old in retiring:
        typer.echo(f"retiring {old}")


if __name__ == "__main__":
    app()
