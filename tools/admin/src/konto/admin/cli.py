"""`konto-admin`: the operator commands of every service behind one entry point.

Each command calls the owning service's own CLI function (services/<svc>/…/cli.py), so the
rules stay in one place; each reads that service's settings (`KONTO_AUTH_*`,
`KONTO_VERIFICATION_*`, …) from the environment, exactly as the service does.
"""

import asyncio
import importlib
from typing import Annotated

import typer

from konto.admin.backlog import SERVICES, dlq_backlog, outbox_backlog
from konto.auth import cli as auth_cli
from konto.auth.config import AuthSettings
from konto.billing.config import BillingSettings
from konto.common.broker import consumer_group
from konto.common.events import utcnow
from konto.common.mongo import Mongo
from konto.common.settings import ServiceSettings
from konto.notify import cli as notify_cli
from konto.notify.config import NotifySettings
from konto.orgs.config import OrgsSettings
from konto.verification import cli as verification_cli
from konto.verification.config import VerificationSettings

app = typer.Typer(help="Konto operator commands", no_args_is_help=True)


def _check(code: int, what: str) -> None:
    if code != 0:
        typer.echo(f"{what} failed (exit {code})", err=True)
        raise typer.Exit(code)


def replay_group(settings: NotifySettings) -> str:
    """The one DLQ replay group: notify's `replay-dlq`, which this CLI runs, commits there."""
    return consumer_group(settings, "notify", "dlq-replay")


@app.command("create-agent")
def create_agent(user_id: str) -> None:
    """Make a user a support agent: verification's review (VER-3), notify's delivery log
    (NOT-4) and billing's support actions (BIL-3)."""
    _check(verification_cli.main(["add-agent", user_id]), "verification add-agent")
    _check(notify_cli.main(["add-staff", user_id]), "notify add-staff")
    _add_billing_staff(user_id)


def _add_billing_staff(user_id: str) -> None:
    # billing's CLI arrived late; without it, billing's staff store directly.
    try:
        billing_cli = importlib.import_module("konto.billing.cli")
    except ModuleNotFoundError:
        billing_cli = None
    if billing_cli is not None and hasattr(billing_cli, "main"):
        _check(billing_cli.main(["add-staff", user_id]), "billing add-staff")
        return
    from konto.billing.store.staff import Staff

    async def run() -> None:
        settings = BillingSettings()
        mongo = Mongo(settings.mongo_url, settings.mongo_db)
        try:
            await Staff(mongo.db).add(user_id, utcnow())
        finally:
            await mongo.close()

    asyncio.run(run())
    typer.echo(f"billing staff: {user_id}")


@app.command("unlock")
def unlock(email: str) -> None:
    """Unlock an account locked after too many failed logins (AUTH-5)."""
    auth_cli.unlock(email)


@app.command("rotate-keys")
def rotate_keys() -> None:
    """New signing key; the old one stays in the JWKS until its tokens expire (AUTH-3)."""
    auth_cli.rotate_keys()


@app.command("replay-dlq")
def replay_dlq(
    topic: Annotated[str, typer.Argument(help="e.g. konto.auth.events or konto.auth.events.dlq")],
    limit: Annotated[int | None, typer.Option(help="at most this many messages")] = None,
) -> None:
    """Re-publish what `<topic>.dlq` holds to the topics its messages came from (X-2)."""
    argv = ["replay-dlq", topic, *(["--limit", str(limit)] if limit is not None else [])]
    _check(notify_cli.main(argv), "replay-dlq")


@app.command("purge-now")
def purge_now() -> None:
    """Run one verification privacy purge pass now (VER-4)."""
    _check(verification_cli.main(["purge-now"]), "purge-now")


def _settings() -> dict[str, ServiceSettings]:
    return {
        "auth": AuthSettings(),
        "orgs": OrgsSettings(),
        "billing": BillingSettings(),
        "verification": VerificationSettings(),
        "notify": NotifySettings(),
    }


@app.command("backlog")
def backlog(
    dlq: Annotated[
        list[str] | None,
        typer.Option("--dlq", help="only these dead-letter topics (default: every konto.*.dlq)"),
    ] = None,
) -> None:
    """Unsent outbox rows per service, and dead-lettered messages not replayed yet per DLQ."""
    settings = _settings()
    notify = NotifySettings()

    async def run() -> None:
        outboxes = await asyncio.gather(*(outbox_backlog(s, settings[s]) for s in SERVICES))
        typer.echo("outbox (unsent rows)")
        for row in outboxes:
            count = "unreachable" if row.unsent is None else str(row.unsent)
            typer.echo(f"  {row.service:<13} {count:>6}  db={row.database}")
        group = replay_group(notify)
        topics = [t if t.endswith(".dlq") else f"{t}.dlq" for t in dlq] if dlq else None
        queues = await dlq_backlog(notify.kafka_bootstrap, group, topics)
        typer.echo(f"dead-letter topics (not yet replayed by {group})")
        if not queues:
            typer.echo("  none")
        for queue in queues:
            typer.echo(f"  {queue.service:<13} {queue.waiting:>6}  {queue.topic}")

    asyncio.run(run())
