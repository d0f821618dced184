"""VER-2 over the real servers: mobile and SMS code (sealed in the event, never plain),
geolocation, document type, photos posted straight to S3 within size and type limits and
checked where they landed, then submission."""

import json

import pytest

from konto.common.crypto import SecretBox
from konto.common.events import CaseSubmittedV1, SmsCodeRequestedV1
from tests.support.identity import new_person
from tests.support.processes import ServiceProcess
from tests.support.verification import (
    DEV_COMMAND_KEY,
    of_case,
    open_for_self,
    png,
    wait_for_events,
)

pytestmark = pytest.mark.servers


async def test_sms_code_is_sealed_and_tries_are_limited_VER_2(
    auth: ServiceProcess, verification: ServiceProcess
) -> None:
    phone = open_for_self(verification, new_person(auth).headers)
    assert phone.post("sms-code").status_code == 409  # no number yet
    bad = phone.put("mobile", {"mobile": "079 555"})
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "mobile"
    assert phone.put("mobile", {"mobile": "+41 79 555 12 34"}).json()["mobile"] == "+41795551234"
    assert phone.post("sms-code").status_code == 202

    [event] = await wait_for_events(
        of_case("konto.verification.sms_code.requested.v1", phone.case_id)
    )
    assert isinstance(event, SmsCodeRequestedV1)
    assert event.data.mobile == "+41795551234"
    code = (
        SecretBox.from_base64(DEV_COMMAND_KEY)
        .open(event.data.sealed_code, associated=phone.case_id.encode())
        .decode()
    )
    assert code not in json.dumps(event.model_dump(mode="json")["data"])

    wrong = "000000" if code != "000000" else "111111"
    refused = phone.post("sms-code/confirm", {"code": wrong})
    assert refused.status_code == 422
    assert refused.json()["attempts_left"] == 4
    confirmed = phone.post("sms-code/confirm", {"code": code})
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json()["mobile_confirmed"] is True
    assert phone.post("sms-code/confirm", {"code": code}).status_code == 422  # used up


async def test_photos_go_to_s3_are_checked_and_the_case_is_submitted_VER_2(
    auth: ServiceProcess, verification: ServiceProcess
) -> None:
    phone = open_for_self(verification, new_person(auth).headers)
    await phone.confirm_mobile()
    assert phone.put("geolocation", {"consent": True}).status_code == 422  # no position
    geo = phone.put("geolocation", {"consent": True, "latitude": 46.2, "longitude": 6.1})
    assert geo.json()["geolocation_consent"] is True
    # No upload before the document type says which photos are needed.
    early = phone.post("files/front/upload", {"content_type": "image/png"})
    assert early.status_code == 409
    card = phone.put("document", {"type": "identity_card"}).json()
    assert card["required_files"] == ["front", "back", "selfie"]
    passport = phone.put("document", {"type": "passport"}).json()
    assert passport["required_files"] == ["front", "selfie"]
    assert phone.post("files/back/upload", {"content_type": "image/png"}).status_code == 409
    pdf = phone.post("files/front/upload", {"content_type": "application/pdf"})
    assert pdf.status_code == 422

    # S3 itself enforces the limits of the presigned form.
    target = phone.post("files/front/upload", {"content_type": "image/png"}).json()
    assert target["max_bytes"] == 10 * 1024 * 1024
    too_big = phone.post_form(target, b"\x00" * (target["max_bytes"] + 1), "image/png")
    assert too_big.status_code == 400
    assert phone.post("files/front/complete").status_code == 409  # nothing arrived

    # What arrived is checked: not an image, or too small, is refused and removed.
    assert phone.upload("front", b"not a png at all").status_code in (200, 201, 204)
    refused = phone.post("files/front/complete")
    assert refused.status_code == 409
    assert "neither a JPEG nor a PNG" in refused.json()["detail"]
    assert phone.upload("front", png(200, 100)).status_code in (200, 201, 204)
    assert "too small" in phone.post("files/front/complete").json()["detail"]

    # 300 kB: only the first 64 kB are fetched to read the dimensions.
    assert phone.upload("front", png(800, 600, padding=300_000)).status_code in (200, 201, 204)
    assert phone.upload("selfie", png(640, 480)).status_code in (200, 201, 204)
    assert phone.post("files/front/complete").status_code == 200
    missing = phone.post("submit")
    assert missing.status_code == 409
    assert "files.selfie" in missing.json()["detail"]
    done = phone.post("files/selfie/complete").json()
    assert done["completed_files"] == ["front", "selfie"]
    assert done["missing_steps"] == []

    submitted = phone.post("submit")
    assert submitted.status_code == 200, submitted.text
    assert submitted.json()["status"] == "submitted"
    assert submitted.json()["submitted_at"]
    [event] = await wait_for_events(of_case("konto.verification.case.submitted.v1", phone.case_id))
    assert isinstance(event, CaseSubmittedV1)
    assert event.data.reason == "first_payout"
    assert phone.put("document", {"type": "identity_card"}).status_code == 409  # frozen now
