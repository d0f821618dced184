from typing import Annotated

from fastapi import APIRouter, File, Response, UploadFile, status
from pydantic import BaseModel, Field

from konto.orgs.api.deps import ActorDep, LogosDep
from konto.orgs.domain.logos import MAX_BYTES
from konto.orgs.service.logos import LogoView

router = APIRouter(prefix="/v1/orgs/{org_id}/logo", tags=["logo"])


class LogoLinkOut(BaseModel):
    url: str = Field(description="Presigned S3 URL; fetch it within `expires_in` seconds")
    content_type: str
    expires_in: int


class LogoOut(BaseModel):
    name: str = Field(description="The organization's name, shown when there is no logo")
    logo: LogoLinkOut | None


def logo_out(view: LogoView) -> LogoOut:
    link = None
    if view.url is not None and view.content_type is not None:
        link = LogoLinkOut(url=view.url, content_type=view.content_type, expires_in=view.expires_in)
    return LogoOut(name=view.name, logo=link)


@router.get("", summary="The logo as a short-lived URL, or null and the name (ORG-8; members)")
async def get_logo(org_id: str, actor: ActorDep, logos: LogosDep) -> LogoOut:
    return logo_out(await logos.get(actor, org_id))


@router.put(
    "",
    summary="Upload the logo: PNG, JPEG or WebP of 270 x 70 px, at most 512 KiB (ORG-8; "
    "administrators, legal representatives)",
)
async def put_logo(
    org_id: str,
    file: Annotated[UploadFile, File(description="The image, as multipart field `file`")],
    actor: ActorDep,
    logos: LogosDep,
) -> LogoOut:
    # One byte more than allowed is enough to tell "too big" without reading a huge upload.
    data = await file.read(MAX_BYTES + 1)
    return logo_out(await logos.upload(actor, org_id, data))


@router.delete("", status_code=status.HTTP_204_NO_CONTENT, summary="Remove the logo (ORG-8)")
async def delete_logo(org_id: str, actor: ActorDep, logos: LogosDep) -> Response:
    await logos.remove(actor, org_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
