"""X-1: the committed contract is the code's. `scripts/contracts check` fails when an event
type's JSON Schema (contracts/events/<type>.json) is missing, stale or changed incompatibly
within its vN, or a service's AsyncAPI document (contracts/asyncapi/<service>.json) is stale."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_committed_event_schemas_and_asyncapi_are_current_X_1() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "contracts"), "check"],
        capture_output=True, text=True, timeout=120, cwd=ROOT,
    )  # fmt: skip
    assert done.returncode == 0, f"{done.stdout}\n{done.stderr}"
    assert "contracts: 0 problem(s)" in done.stdout


def test_committed_schemas_are_json_schema_and_describe_real_events_X_1() -> None:
    from jsonschema import Draft202012Validator

    from konto.common.events import UserRegistered, UserRegisteredV1

    schemas = sorted((ROOT / "contracts" / "events").glob("*.json"))
    assert schemas
    for path in schemas:
        Draft202012Validator.check_schema(json.loads(path.read_text()))
    event = UserRegisteredV1(
        subject="u1",
        data=UserRegistered(
            user_id="u1", email="a@example.ch", name="A", mobile="+41791234567", locale="de"
        ),
    )
    schema = json.loads((ROOT / "contracts" / "events" / f"{event.type}.json").read_text())
    Draft202012Validator(schema).validate(json.loads(event.to_json()))
