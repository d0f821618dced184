"""What a logo must be (ORG-8): a PNG, JPEG or WebP of exactly 270 x 70 px, small enough to
serve in place of the name. Pure: Pillow reads the bytes it is given, nothing else."""

import io
from dataclasses import dataclass

from PIL import Image, UnidentifiedImageError

WIDTH, HEIGHT = 270, 70
MAX_BYTES = 512 * 1024
# Pillow's format name -> the content type stored and served.
FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp"}


class InvalidLogo(ValueError):
    pass


@dataclass(frozen=True)
class Logo:
    content_type: str
    width: int
    height: int


def check_logo(data: bytes) -> Logo:
    if not data:
        raise InvalidLogo("the file is empty")
    if len(data) > MAX_BYTES:
        raise InvalidLogo(f"the file has {len(data)} bytes, at most {MAX_BYTES} are allowed")
    try:
        with Image.open(io.BytesIO(data)) as image:
            # Reads the header only; verify() then checks the data without decoding pixels.
            kind, (width, height) = image.format, image.size
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise InvalidLogo("not a PNG, JPEG or WebP image") from exc
    if kind not in FORMATS:
        raise InvalidLogo(f"{kind} is not allowed: send a PNG, JPEG or WebP image")
    if (width, height) != (WIDTH, HEIGHT):
        raise InvalidLogo(f"the image is {width} x {height} px; it must be {WIDTH} x {HEIGHT} px")
    return Logo(content_type=FORMATS[kind], width=width, height=height)
