"""Operations: `python -m konto.verification.cli add-agent|remove-agent|list-agents|purge-now`.
Reads the same KONTO_VERIFICATION_* settings as the service."""

import argparse
import asyncio
import sys
from datetime import timedelta

from konto.common.events import utcnow
from konto.common.mongo import Mongo
from konto.common.s3 import ObjectStore
from konto.verification.config import VerificationSettings
from konto.verification.service.purge import Purge
from konto.verification.store.agents import Agents
from konto.verification.store.cases import Cases
from konto.verification.store.files import CaseFiles


async def _run(args: argparse.Namespace, settings: VerificationSettings) -> int:
    mongo = Mongo(settings.mongo_url, settings.mongo_db)
    try:
        agents = Agents(mongo.db)
        if args.command == "add-agent":
            await agents.add(args.user_id, utcnow())
            print(f"agent added: {args.user_id}")
        elif args.command == "remove-agent":
            removed = await agents.remove(args.user_id)
            print(f"agent {'removed' if removed else 'was not an agent'}: {args.user_id}")
        elif args.command == "list-agents":
            for user_id in await agents.all():
                print(user_id)
        elif args.command == "purge-now":
            purge = Purge(
                cases=Cases(mongo.db),
                files=CaseFiles(ObjectStore(settings)),
                undecided_after=timedelta(hours=settings.purge_after_submission_hours),
            )
            print(f"cases erased: {await purge.run_once(utcnow())}")
    finally:
        await mongo.close()
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m konto.verification.cli")
    commands = parser.add_subparsers(dest="command", required=True)
    for name, text in (("add-agent", "make a user a support agent"), ("remove-agent", "revoke")):
        sub = commands.add_parser(name, help=text)
        sub.add_argument("user_id")
    commands.add_parser("list-agents", help="the support agents' user ids")
    commands.add_parser("purge-now", help="run one privacy purge pass (VER-4)")
    args = parser.parse_args(argv)
    return asyncio.run(_run(args, VerificationSettings()))


if __name__ == "__main__":
    sys.exit(main())
