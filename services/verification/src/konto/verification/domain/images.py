"""Image dimensions from a file's first bytes (VER-2): PNG's IHDR, JPEG's SOF marker. Only a
prefix is ever read, so a JPEG whose frame header lies beyond it is refused."""

import struct
from dataclasses import dataclass

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
# SOF markers carry the frame size; C4 (DHT), C8 (JPG) and CC (DAC) share the range but do not.
_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}


class UnreadableImage(ValueError):
    pass


@dataclass(frozen=True)
class ImageInfo:
    content_type: str
    width: int
    height: int


def probe(prefix: bytes) -> ImageInfo:
    if prefix.startswith(PNG_MAGIC):
        return _png(prefix)
    if prefix.startswith(b"\xff\xd8"):
        return _jpeg(prefix)
    raise UnreadableImage("neither a JPEG nor a PNG")


def _png(data: bytes) -> ImageInfo:
    if len(data) < 24 or data[12:16] != b"IHDR":
        raise UnreadableImage("PNG without a header chunk")
    width, height = struct.unpack(">II", data[16:24])
    return ImageInfo("image/png", width, height)


def _jpeg(data: bytes) -> ImageInfo:
    pos = 2
    while pos + 4 <= len(data):
        if data[pos] != 0xFF:
            raise UnreadableImage("broken JPEG marker")
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker in (0x01, *range(0xD0, 0xD8)):  # markers without a length
            pos += 2
            continue
        (length,) = struct.unpack(">H", data[pos + 2 : pos + 4])
        if marker in _SOF:
            if pos + 9 > len(data):
                break
            height, width = struct.unpack(">HH", data[pos + 5 : pos + 9])
            return ImageInfo("image/jpeg", width, height)
        if marker == 0xDA:  # scan data starts: no frame header came before it
            break
        pos += 2 + length
    raise UnreadableImage("no JPEG frame header in the first bytes")


def check_photo(
    info: ImageInfo, *, declared_type: str | None, size: int, max_bytes: int, min_side: int
) -> None:
    """Raises UnreadableImage when what arrived is not an acceptable photo."""
    if declared_type != info.content_type:
        raise UnreadableImage(f"content is {info.content_type}, declared {declared_type}")
    if not 0 < size <= max_bytes:
        raise UnreadableImage(f"size {size} is outside 1..{max_bytes} bytes")
    if min(info.width, info.height) < min_side:
        raise UnreadableImage(
            f"{info.width}x{info.height} is too small; each side needs {min_side} pixels"
        )
