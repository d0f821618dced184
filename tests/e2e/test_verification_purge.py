"""VER-4 over the real servers: a decided case keeps only its outcome; the purge leaves no
object of it in S3 and is idempotent; an undecided case is erased 72 h after submission (with an
injected clock, over the real MongoDB-wire server and S3)."""

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from konto.common.mongo import Mongo
from konto.common.s3 import ObjectStore, S3Settings
from konto.verification.service.purge import Purge
from konto.verification.store.cases import Cases
from konto.verification.store.files import CaseFiles, file_key
from tests.support.identity import new_person
from tests.support.processes import ServiceProcess
from tests.support.servers import MONGO_URL, S3_ENDPOINT
from tests.support.verification import open_for_self, png, run_cli

pytestmark = pytest.mark.servers


def _post(url: str, **kwargs: Any) -> httpx.Response:
    return httpx.post(url, **kwargs)


async def test_purge_leaves_no_object_in_s3_and_keeps_the_outcome_VER_4(
    auth: ServiceProcess, verification: ServiceProcess, run_id: str
) -> None:
    person = new_person(auth)
    phone = open_for_self(verification, person.headers)
    await phone.fill_and_submit("identity_card")
    store = ObjectStore(S3Settings(s3_endpoint_url=S3_ENDPOINT, s3_bucket="konto-verification"))
    keys = [f"cases/{phone.case_id}/{kind}" for kind in ("front", "back", "selfie")]
    for key in keys:
        assert await store.head(key) is not None

    agent = new_person(auth)
    run_cli(run_id, "add-agent", agent.user_id)
    decided = _post(
        f"{verification.url}/v1/review/cases/{phone.case_id}/decision",
        json={"outcome": "approve", "reason": "all good"},
        headers=agent.headers,
    )
    assert decided.status_code == 200, decided.text

    first = run_cli(run_id, "purge-now")
    assert "cases erased:" in first
    for key in keys:
        assert await store.head(key) is None
    listed = store.client.list_objects_v2(Bucket=store.bucket, Prefix=f"cases/{phone.case_id}/")
    assert listed.get("KeyCount", 0) == 0

    kept = phone.get().json()
    assert kept["status"] == "approved"
    assert kept["mobile"] is None
    assert kept["document_type"] is None
    assert kept["geolocation_consent"] is None
    assert kept["completed_files"] == []
    assert kept["decided_at"]

    assert run_cli(run_id, "purge-now").strip() == "cases erased: 0"  # idempotent


async def test_undecided_case_is_erased_72_hours_after_submission_VER_4(
    servers: None, run_id: str
) -> None:
    """The purge use case in-process with an injected clock, over the real MongoDB-wire server
    and S3: nothing happens at 71 h, everything personal is gone at 72 h, then nothing again."""
    submitted = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    mongo = Mongo(MONGO_URL, f"t{run_id}_verification_clock")
    store = ObjectStore(S3Settings(s3_endpoint_url=S3_ENDPOINT, s3_bucket="konto-verification"))
    cases = Cases(mongo.db)
    purge = Purge(cases=cases, files=CaseFiles(store), undecided_after=timedelta(hours=72))
    case_id = f"clock-{uuid.uuid4().hex[:10]}"
    await cases.insert(
        {
            "_id": case_id,
            "reason": "blocked_order",
            "requested_by": "billing",
            "reference": "order-1",
            "user_id": None,
            "email": "anna@example.ch",
            "locale": "de",
            "priority": 1,
            "status": "submitted",
            "token_hash": uuid.uuid4().hex,
            "created_at": submitted - timedelta(hours=1),
            "expires_at": submitted + timedelta(hours=47),
            "mobile": "+41791234567",
            "geolocation": {"consent": False},
            "document_type": "passport",
            "files": {"front": {"key": file_key(case_id, "front")}},
            "submitted_at": submitted,
            "decided_at": None,
            "erased_at": None,
        }
    )
    await store.put(file_key(case_id, "front"), png(640, 480), "image/png")
    await store.put(file_key(case_id, "selfie"), png(640, 480), "image/png")  # never confirmed
    try:
        assert await purge.run_once(submitted + timedelta(hours=71, minutes=59)) == 0
        assert await store.head(file_key(case_id, "front")) is not None

        assert await purge.run_once(submitted + timedelta(hours=72)) == 1
        for kind in ("front", "back", "selfie"):
            assert await store.head(file_key(case_id, kind)) is None
        kept = await cases.get(case_id)
        assert kept is not None
        assert kept["status"] == "expired"
        assert {"email", "mobile", "geolocation", "document_type", "files"}.isdisjoint(kept)
        assert kept["reference"] == "order-1"

        assert await purge.run_once(submitted + timedelta(days=10)) == 0  # idempotent
    finally:
        await mongo.client.drop_database(f"t{run_id}_verification_clock")
        await mongo.close()
