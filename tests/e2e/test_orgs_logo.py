"""The organization's logo over the real servers (ORG-8): upload a 270 x 70 image, stored in S3
(versitygw) and fetched through a presigned URL; a wrong size is refused naming the field; the
name shows when there is no logo."""

import io

import httpx
import pytest
from PIL import Image

from konto.common.events import LogoChangedV1
from tests.support.identity import new_person
from tests.support.orgs import create_org, join, wait_for_event
from tests.support.processes import ServiceProcess

pytestmark = pytest.mark.servers


def _png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (10, 120, 200)).save(out, format="PNG")
    return out.getvalue()


def test_logo_upload_presigned_fetch_and_refusal_ORG_8(
    auth: ServiceProcess, orgs: ServiceProcess
) -> None:
    owner, collab = new_person(auth), new_person(auth)
    org = create_org(orgs, owner, "Logo AG")
    join(orgs, owner, org, collab, "collaborator")
    url = f"{orgs.url}/v1/orgs/{org}/logo"

    none = httpx.get(url, headers=collab.headers)
    assert none.status_code == 200, none.text
    assert none.json() == {"name": "Logo AG", "logo": None}  # the name shows instead

    image = _png(270, 70)
    files = {"file": ("logo.png", image, "image/png")}
    assert httpx.put(url, files=files, headers=collab.headers).status_code == 403
    uploaded = httpx.put(url, files=files, headers=owner.headers)
    assert uploaded.status_code == 200, uploaded.text
    assert uploaded.json()["logo"]["content_type"] == "image/png"

    link = httpx.get(url, headers=collab.headers).json()["logo"]
    assert link["expires_in"] > 0
    fetched = httpx.get(link["url"])  # straight from S3, no bearer token
    assert fetched.status_code == 200, fetched.text
    assert fetched.content == image
    changed = wait_for_event(lambda e: isinstance(e, LogoChangedV1), org_id=org)
    assert isinstance(changed, LogoChangedV1)
    assert (changed.data.logo, changed.data.actor_id) == (True, owner.user_id)

    too_wide = httpx.put(
        url, files={"file": ("wide.png", _png(300, 70), "image/png")}, headers=owner.headers
    )
    assert too_wide.status_code == 422, too_wide.text
    (error,) = too_wide.json()["errors"]
    assert error["field"] == "file"
    assert "300 x 70 px" in error["message"]
    assert httpx.get(httpx.get(url, headers=owner.headers).json()["logo"]["url"]).content == image

    assert httpx.delete(url, headers=owner.headers).status_code == 204
    assert httpx.get(url, headers=owner.headers).json() == {"name": "Logo AG", "logo": None}
    assert httpx.get(link["url"]).status_code in {403, 404}  # the file is gone too
    assert httpx.get(url, headers=new_person(auth).headers).status_code == 404
