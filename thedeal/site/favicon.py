"""The site's favicon: a square of the council's header colour, made here (pure Python).

GOV.UK's crown favicon is only for GOV.UK's own services, so a council's site shows its own
colour instead. Browsers ask for /favicon.ico whatever the page says (the admin's pages say
nothing), so it is served there, as an ICO file holding one PNG image (every browser in use
reads that).
"""

from __future__ import annotations

import functools
import struct
import zlib

SIZE = 32  # pixels each way: the size a browser's tab and bookmarks show


@functools.cache
def icon(colour: str) -> bytes:
    """The favicon in this colour (#rrggbb), as the bytes of an .ico file."""
    digits = colour.removeprefix("#")
    if len(digits) != 6:
        raise ValueError(f"A favicon's colour must be #rrggbb, not {colour!r}")
    pixel = bytes.fromhex(digits) + b"\xff"  # opaque
    png = _png(SIZE, SIZE, (b"\x00" + pixel * SIZE) * SIZE)
    header = struct.pack("<HHH", 0, 1, 1)  # reserved, an icon, one image
    # Width and height, no palette, reserved, 1 plane, 32 bits a pixel, its size, its offset.
    entry = struct.pack("<BBBBHHII", SIZE, SIZE, 0, 0, 1, 32, len(png), 6 + 16)
    return header + entry + png


def _png(width: int, height: int, rows: bytes) -> bytes:
    """A PNG (RGBA, 8 bits a channel) of these rows, each starting with its filter byte."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    head = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", head)
        + chunk(b"IDAT", zlib.compress(rows, 9))
        + chunk(b"IEND", b"")
    )
