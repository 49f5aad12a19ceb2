"""Printing codes: the QR images decode (OpenCV's reader) to the code's URL, and the PDF sheet names the lot."""

from __future__ import annotations

import base64
import re
import zlib
from datetime import timedelta
from xml.etree import ElementTree

import cv2
import httpx
import numpy as np
import pytest
from sqlalchemy import update

from parking.codes import render
from parking.codes.service import url_of
from parking.common.database import Database
from parking.common.db import utcnow
from parking.common.scope import Scope
from parking.merchants.models import CodeKind
from parking.tenancy.models import Lot
from tests.codes.helpers import make_code
from tests.factories import SECRET
from tests.lanes.site import Site, build_site, seat_tokens

pytestmark = pytest.mark.anyio
LOT_NAME = "万达广场停车场"


def decoded(png: bytes) -> str:
    """OpenCV's reader, its ArUco-based detector: the classic ``QRCodeDetector`` misses the finder patterns of
    about 1 in 60 of these codes, which would make this test fail by chance."""
    image = cv2.imdecode(np.frombuffer(png, np.uint8), cv2.IMREAD_GRAYSCALE)
    assert image is not None
    text, points, _ = cv2.QRCodeDetectorAruco().detectAndDecode(image)
    assert points is not None
    return str(text)


def pdf_texts(pdf: bytes) -> list[str]:
    """The strings shown by the PDF's text operators (reportlab writes CID text as UTF-16BE literals)."""
    found = []
    for raw in re.findall(rb"stream\r?\n(.*?)endstream", pdf, re.S):
        data = raw.strip()
        if data.endswith(b"~>"):
            data = zlib.decompress(base64.a85decode(data[:-2]))
        for literal in re.findall(rb"\(((?:\\.|[^\\)])*)\)\s*Tj", data, re.S):
            text = re.sub(rb"\\([0-7]{1,3})", lambda m: bytes([int(m.group(1), 8)]), literal)
            text = re.sub(rb"\\(.)", rb"\1", text)
            found.append(text.decode("utf-16-be", errors="replace"))
    return found


def test_the_qr_png_decodes_to_its_content_with_a_real_reader() -> None:
    url = "https://park.example.com/m/c/3f.AbCdEfGhIjKl.1x2y3z.0123456789abcdefABCDEF"
    assert decoded(render.qr_png(url)) == url
    svg = ElementTree.fromstring(render.qr_svg(url))
    assert svg.tag.endswith("svg")


@pytest.fixture
async def site(db: Database) -> Site:
    site = await build_site(db)
    async with db.transaction(Scope.internal()) as s:
        await s.execute(update(Lot).where(Lot.id == site.lot_id).values(name=LOT_NAME))
    return site


async def test_an_operator_downloads_a_codes_png_svg_and_sheet(
    db: Database, client: httpx.AsyncClient, site: Site
) -> None:
    tokens = await seat_tokens(site)
    now = utcnow()
    exit_code = await make_code(db, site.lot_id, CodeKind.EXIT, now, lane_id=site.ids["out"], label="东门出口")
    in_lot = await make_code(db, site.lot_id, CodeKind.IN_LOT, now, expires_at=now + timedelta(days=30))
    seat = {"Authorization": f"Bearer {tokens['seat']}"}
    png = await client.get(f"/api/codes/{exit_code.id}.png", headers=seat)
    assert png.headers["content-type"] == "image/png"
    assert decoded(png.content) == url_of(exit_code, SECRET, "http://127.0.0.1:8000")
    svg = await client.get(f"/api/codes/{exit_code.id}.svg", headers=seat)
    assert svg.headers["content-type"].startswith("image/svg+xml")
    ElementTree.fromstring(svg.content)
    sheet = await client.get(f"/api/codes/sheet.pdf?ids={exit_code.id},{in_lot.id}&perPage=4", headers=seat)
    assert sheet.status_code == 200
    assert sheet.content.startswith(b"%PDF-")
    assert sheet.content.rstrip().endswith(b"%%EOF")
    texts = pdf_texts(sheet.content)
    assert texts.count(LOT_NAME) == 2
    assert {"出口码", "场内码", "东门出口"} <= set(texts)


async def test_downloads_refuse_strangers_and_other_tenants(
    db: Database, client: httpx.AsyncClient, site: Site
) -> None:
    tokens = await seat_tokens(site)
    code = await make_code(db, site.lot_id, CodeKind.IN_LOT, utcnow())
    assert (await client.get(f"/api/codes/{code.id}.png")).status_code == 401
    other = {"Authorization": f"Bearer {tokens['other']}"}
    assert (await client.get(f"/api/codes/{code.id}.svg", headers=other)).status_code == 404
    assert (await client.get(f"/api/codes/sheet.pdf?ids={code.id}", headers=other)).status_code == 404
    seat = {"Authorization": f"Bearer {tokens['seat']}"}
    assert (await client.get("/api/codes/sheet.pdf?ids=1,x", headers=seat)).status_code == 400
    assert (await client.get(f"/api/codes/{code.id + 1000}.png", headers=seat)).status_code == 404
