"""Helpers the alerts tests share: the cases app's named cast, an advisory sent, a warning drafted."""

from __future__ import annotations

import io
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile

from phoihop.alerts.services import AdvisoryInput, WarningInput, advisory_create, warning_create, warning_move
from phoihop.cases.tests.factories import ctx, make_cast, open_case, submit_report

__all__ = ["ctx", "make_cast", "open_case", "submit_report"]


def advisory_to_carriers(by, *, send: bool = True, **overrides):
    """Đ6.2: the Police tell the carriers of a method, with the scam number."""
    data = AdvisoryInput(
        kind="crime_method",
        title="Giả danh công an gọi điện yêu cầu chuyển tiền",
        method="Gọi từ số mới kích hoạt, đọc đúng số CCCD, yêu cầu chuyển tiền “xác minh”.",
        advice="Rà soát thuê bao có lưu lượng gọi đi bất thường.",
        types=["enterprise:telecom"],
        indicators="0912 345 678",
    )
    for key, value in overrides.items():
        setattr(data, key, value)
    return advisory_create(data=data, ctx=ctx(by), send=send)


def warning_input(**overrides) -> WarningInput:
    data = WarningInput(
        title="Cảnh báo cuộc gọi giả danh công an",
        summary="Đối tượng gọi điện tự xưng công an, yêu cầu chuyển tiền.",
        method="Gọi điện, đọc đúng họ tên, đe doạ, yêu cầu chuyển tiền vào tài khoản.",
        protection="Không chuyển tiền; gác máy và báo công an.",
        indicators="0912 345 678",
    )
    for key, value in overrides.items():
        setattr(data, key, value)
    return data


def draft_warning(by, **overrides):
    return warning_create(data=warning_input(**overrides), ctx=ctx(by))


def published_warning(author, head, **overrides):
    warning = draft_warning(author, **overrides)
    warning = warning_move(warning=warning, move="submit", ctx=ctx(author))
    return warning_move(warning=warning, move="approve", ctx=ctx(head))


def png_bytes(width: int = 2, height: int = 2) -> bytes:
    """A real (tiny) PNG image."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    out = io.BytesIO()
    out.write(b"\x89PNG\r\n\x1a\n")
    out.write(chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)))
    out.write(chunk(b"IDAT", zlib.compress(raw)))
    out.write(chunk(b"IEND", b""))
    return out.getvalue()


def png_upload(name: str = "tin-nhan.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")
