"""Photo checks from the first bytes only (VER-2): PNG and JPEG dimensions, type, size."""

import struct
import zlib

import pytest

from konto.verification.domain.images import UnreadableImage, check_photo, probe


def png(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    raw = b"".join(b"\x00" + b"\x00" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def jpeg_header(width: int, height: int, exif_bytes: int = 0) -> bytes:
    app1 = b"\xff\xe1" + struct.pack(">H", exif_bytes + 2) + b"\x00" * exif_bytes
    sof0 = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, height, width, 1) + b"\x01\x11\x00"
    return b"\xff\xd8" + app1 + sof0 + b"\xff\xda\x00\x08"


def test_png_dimensions_from_the_header_VER_2() -> None:
    info = probe(png(640, 480)[:64])
    assert (info.content_type, info.width, info.height) == ("image/png", 640, 480)


def test_jpeg_dimensions_after_exif_VER_2() -> None:
    info = probe(jpeg_header(1024, 768, exif_bytes=5000))
    assert (info.content_type, info.width, info.height) == ("image/jpeg", 1024, 768)


def test_jpeg_frame_beyond_the_prefix_is_refused_VER_2() -> None:
    data = jpeg_header(1024, 768, exif_bytes=5000)
    with pytest.raises(UnreadableImage):
        probe(data[:1000])


def test_not_an_image_is_refused_VER_2() -> None:
    with pytest.raises(UnreadableImage):
        probe(b"%PDF-1.7 ...")


def test_type_size_and_dimensions_are_checked_VER_2() -> None:
    info = probe(png(640, 480))
    check_photo(info, declared_type="image/png", size=1000, max_bytes=2000, min_side=320)
    with pytest.raises(UnreadableImage, match="declared"):
        check_photo(info, declared_type="image/jpeg", size=1000, max_bytes=2000, min_side=320)
    with pytest.raises(UnreadableImage, match="size"):
        check_photo(info, declared_type="image/png", size=3000, max_bytes=2000, min_side=320)
    with pytest.raises(UnreadableImage, match="too small"):
        check_photo(info, declared_type="image/png", size=1000, max_bytes=2000, min_side=600)
