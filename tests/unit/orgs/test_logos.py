"""ORG-8: a logo is a PNG, JPEG or WebP of exactly 270 x 70 px, at most 512 KiB."""

import io

import pytest
from PIL import Image

from konto.orgs.domain.logos import MAX_BYTES, InvalidLogo, check_logo


def _image(size: tuple[int, int], kind: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format=kind)
    return out.getvalue()


@pytest.mark.parametrize(
    ("kind", "content_type"),
    [("PNG", "image/png"), ("JPEG", "image/jpeg"), ("WEBP", "image/webp")],
)
def test_each_allowed_format_of_the_right_size_passes_ORG_8(kind: str, content_type: str) -> None:
    logo = check_logo(_image((270, 70), kind))
    assert (logo.content_type, logo.width, logo.height) == (content_type, 270, 70)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (_image((300, 70), "PNG"), "the image is 300 x 70 px; it must be 270 x 70 px"),
        (_image((270, 71), "JPEG"), "the image is 270 x 71 px; it must be 270 x 70 px"),
        (_image((270, 70), "GIF"), "GIF is not allowed: send a PNG, JPEG or WebP image"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "not a PNG, JPEG or WebP image"),
        (b"", "the file is empty"),
        (b"\x89PNG" + b"0" * MAX_BYTES, f"at most {MAX_BYTES} are allowed"),
    ],
)
def test_wrong_size_format_or_weight_is_refused_with_the_reason_ORG_8(
    data: bytes, message: str
) -> None:
    with pytest.raises(InvalidLogo, match=message.replace("(", r"\(")):
        check_logo(data)
