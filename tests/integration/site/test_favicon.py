"""Browsers, bookmarks and the admin ask for /favicon.ico on every page: it is there."""

import struct
import zlib

import pytest


def _first_pixel(icon: bytes) -> bytes:
    """The colour of the icon's top-left pixel (an ICO holding one 32-bit PNG)."""
    _, kind, count = struct.unpack("<HHH", icon[:6])
    assert (kind, count) == (1, 1)
    size, offset = struct.unpack("<II", icon[14:22])
    png = icon[offset : offset + size]
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    data, at = b"", 8
    while at < len(png):
        (length,) = struct.unpack(">I", png[at : at + 4])
        if png[at + 4 : at + 8] == b"IDAT":
            data += png[at + 8 : at + 8 + length]
        at += 12 + length
    return zlib.decompress(data)[1:5]  # after the first row's filter byte


@pytest.mark.django_db
def test_the_favicon_is_a_square_of_the_councils_colour(client, settings):
    settings.COUNCIL = {**settings.COUNCIL, "brand_colour": "#8a1538"}

    response = client.get("/favicon.ico")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert "max-age" in response["Cache-Control"]
    assert _first_pixel(response.content) == bytes([0x8A, 0x15, 0x38, 0xFF])


@pytest.mark.django_db
def test_every_page_names_the_favicon(client):
    html = client.get("/").content.decode()
    assert '<link rel="icon" href="/favicon.ico"' in html
