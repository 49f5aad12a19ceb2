"""Fault ticket photos over HTTP: real multipart uploads, every refusal in Chinese with nothing changed, the
photos on the ticket in GraphQL and their bytes through GET /api/images in scope only."""

from __future__ import annotations

import asyncio
import io
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image
from sqlalchemy import event, func, select
from starlette.requests import Request

from api.faults import _photo
from config.settings import Settings
from parking.common.audit import AuditEntry
from parking.common.database import Database
from parking.common.scope import Scope
from parking.faults.models import FaultTicket, FaultTicketPhoto
from parking.faults.photos import MAX_PHOTO_BYTES, MAX_PHOTOS_PER_TICKET
from tests.factories import World, build_world


def picture(kind: str = "JPEG", shade: int = 0) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (32, 24), (shade * 25 % 256, 120, 200)).save(out, kind)
    return out.getvalue()


async def open_ticket(db: Database, world: World, lot: str = "A1a") -> int:
    async with db.transaction(Scope.internal()) as s:
        lot_id = world.ids[f"lot:{lot}"]
        agent = world.ids[f"agent:{lot[0]}"]
        customer = world.ids[f"customer:{lot[:2]}"]
        ticket = FaultTicket(agent_id=agent, customer_id=customer, lot_id=lot_id, title="出口道闸不落杆")
        s.add(ticket)
        await s.flush()
        return ticket.id


async def upload(
    client: httpx.AsyncClient,
    ticket_id: int | str,
    token: str | None,
    data: bytes,
    filename: str = "photo.jpg",
    content_type: str = "image/jpeg",
) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    files = {"file": (filename, data, content_type)}
    return await client.post(f"/api/faults/{ticket_id}/photos", files=files, headers=headers)


async def photo_rows(db: Database) -> list[tuple[int, str, int | None]]:
    async with db.session(Scope.internal()) as s:
        rows = await s.scalars(select(FaultTicketPhoto).order_by(FaultTicketPhoto.id))
        return [(row.ticket_id, row.ref, row.uploaded_by_id) for row in rows]


async def ticket_rows(db: Database) -> list[tuple[int, str, datetime]]:
    async with db.session(Scope.internal()) as s:
        rows = await s.scalars(select(FaultTicket).order_by(FaultTicket.id))
        return [(row.id, row.title, row.updated_at) for row in rows]


async def audit_count(db: Database) -> int:
    async with db.session(Scope.internal()) as s:
        return int(await s.scalar(select(func.count()).select_from(AuditEntry)) or 0)


def stored_files(settings: Settings) -> list[Path]:
    return sorted(p for p in (settings.var_dir / "images").rglob("*") if p.is_file())


async def test_lot_staff_attach_a_jpeg_and_a_png_and_see_them_on_the_ticket(
    db: Database, client: httpx.AsyncClient, settings: Settings
) -> None:
    world = await build_world(db)
    ticket_id = await open_ticket(db, world)
    jpeg, png = picture("JPEG"), picture("PNG")

    first = await upload(client, ticket_id, world.tokens["lotA1a"], jpeg)
    # the name and the declared type do not matter, the bytes do
    second = await upload(client, ticket_id, world.tokens["lotA1a"], png, "IMG_0001.HEIC", "application/octet-stream")

    assert (first.status_code, second.status_code) == (201, 201)
    jpeg_ref, png_ref = first.json()["photo"]["ref"], second.json()["photo"]["ref"]
    assert (jpeg_ref[-4:], png_ref[-4:]) == (".jpg", ".png")
    assert first.json()["photo"]["ticketId"] == str(ticket_id)
    operator = world.ids["operator:lotA1a"]
    assert await photo_rows(db) == [(ticket_id, jpeg_ref, operator), (ticket_id, png_ref, operator)]
    headers = {"Authorization": f"Bearer {world.tokens['lotA1a']}"}
    fetched = await client.get(f"/api/images/{jpeg_ref}", headers=headers)
    assert (fetched.status_code, fetched.headers["content-type"], fetched.content) == (200, "image/jpeg", jpeg)
    body = (
        await client.post(
            "/graphql",
            json={"query": "{ faultTickets { items { id photos { ref createdAt } } } }"},
            headers=headers,
        )
    ).json()
    [ticket] = body["data"]["faultTickets"]["items"]
    assert [p["ref"] for p in ticket["photos"]] == [jpeg_ref, png_ref]


async def test_the_same_picture_sent_twice_is_one_photo(
    db: Database, client: httpx.AsyncClient, settings: Settings
) -> None:
    world = await build_world(db)
    ticket_id = await open_ticket(db, world)
    jpeg = picture()

    first = await upload(client, ticket_id, world.tokens["lotA1a"], jpeg)
    again = await upload(client, ticket_id, world.tokens["lotA1a"], jpeg)

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert len(await photo_rows(db)) == 1
    assert len(stored_files(settings)) == 1


def refusal(response: httpx.Response) -> tuple[int, str, str]:
    error: dict[str, Any] = response.json()["error"]
    return response.status_code, error["code"], error["message"]


async def test_hostile_uploads_are_refused_in_chinese_and_change_nothing(
    db: Database, client: httpx.AsyncClient, settings: Settings
) -> None:
    world = await build_world(db)
    ticket_id = await open_ticket(db, world)
    other_tenant = await open_ticket(db, world, "B1a")
    sibling_lot = await open_ticket(db, world, "A1b")
    token = world.tokens["lotA1a"]
    audits = await audit_count(db)
    tickets_before = await ticket_rows(db)
    too_big = picture()[:3] + b"\0" * (MAX_PHOTO_BYTES + 1)
    at_the_cap = picture()[:3] + b"\0" * (MAX_PHOTO_BYTES - 3)
    pdf = b"%PDF-1.7\n" + b"\0" * 100

    answers = [
        refusal(await upload(client, ticket_id, token, pdf, "photo.jpg", "image/jpeg")),
        refusal(await upload(client, ticket_id, token, b"GIF89a" + b"\0" * 50, "x.gif", "image/gif")),
        refusal(await upload(client, ticket_id, token, b"")),
        refusal(await upload(client, ticket_id, token, too_big)),
        refusal(await upload(client, other_tenant, token, picture())),
        refusal(await upload(client, other_tenant, world.tokens["custA1"], picture())),
        refusal(await upload(client, sibling_lot, token, picture())),
        refusal(await upload(client, 999_999, token, picture())),
        refusal(await upload(client, "abc", token, picture())),
        refusal(await upload(client, ticket_id, None, picture())),
        refusal(await upload(client, ticket_id, "forged.token", picture())),
        refusal(await upload(client, ticket_id, world.tokens["viewer"], picture())),
    ]
    # a form field that is not a file, a body that is not multipart at all
    headers = {"Authorization": f"Bearer {token}"}
    answers.append(refusal(await client.post(f"/api/faults/{ticket_id}/photos", data={"file": "x"}, headers=headers)))
    answers.append(refusal(await client.post(f"/api/faults/{ticket_id}/photos", content=picture(), headers=headers)))

    not_found = (404, "NOT_FOUND", "未找到该报修工单")
    missing = (400, "PHOTO_MISSING", "请选择要上传的照片")
    not_an_image = (415, "NOT_AN_IMAGE", "只能上传 JPG 或 PNG 格式的照片")
    unauthenticated = (401, "UNAUTHENTICATED", "登录已失效，请重新登录")
    assert answers == [
        not_an_image,
        not_an_image,
        missing,
        (413, "PHOTO_TOO_LARGE", "照片不能超过 5 MB"),
        not_found,
        not_found,
        not_found,
        not_found,
        not_found,
        unauthenticated,
        unauthenticated,
        (403, "PERMISSION_DENIED", "当前账号没有故障报修权限"),
        missing,
        missing,
    ]
    assert await photo_rows(db) == []
    assert stored_files(settings) == []
    assert await audit_count(db) == audits
    assert await ticket_rows(db) == tickets_before
    # the cap itself is allowed: a JPEG's magic and exactly MAX_PHOTO_BYTES
    assert (await upload(client, ticket_id, token, at_the_cap)).status_code == 201


async def test_a_ticket_holds_at_most_nine_photos(db: Database, client: httpx.AsyncClient, settings: Settings) -> None:
    world = await build_world(db)
    ticket_id = await open_ticket(db, world)
    token = world.tokens["lotA1a"]
    for shade in range(MAX_PHOTOS_PER_TICKET):
        assert (await upload(client, ticket_id, token, picture(shade=shade))).status_code == 201
    before = await photo_rows(db)
    files = stored_files(settings)

    tenth = await upload(client, ticket_id, token, picture(shade=200))
    # a picture already on the ticket is still the same photo, not a tenth
    again = await upload(client, ticket_id, token, picture(shade=0))

    assert refusal(tenth) == (409, "TOO_MANY_PHOTOS", "每张工单最多上传 9 张照片")
    assert again.status_code == 200
    assert await photo_rows(db) == before
    assert stored_files(settings) == files


async def test_uploads_at_once_never_pass_nine(db: Database, client: httpx.AsyncClient, settings: Settings) -> None:
    world = await build_world(db)
    ticket_id = await open_ticket(db, world)
    token = world.tokens["lotA1a"]
    for shade in range(MAX_PHOTOS_PER_TICKET - 1):
        assert (await upload(client, ticket_id, token, picture(shade=shade))).status_code == 201

    answers = await asyncio.gather(*(upload(client, ticket_id, token, picture(shade=s)) for s in (9, 10, 11)))

    assert sorted(a.status_code for a in answers) == [201, 409, 409]
    assert len(await photo_rows(db)) == MAX_PHOTOS_PER_TICKET
    assert len(stored_files(settings)) == MAX_PHOTOS_PER_TICKET


async def test_fault_photos_are_visible_in_scope_only(
    db: Database, client: httpx.AsyncClient, settings: Settings
) -> None:
    world = await build_world(db)
    ticket_id = await open_ticket(db, world)
    ref = (await upload(client, ticket_id, world.tokens["lotA1a"], picture())).json()["photo"]["ref"]

    async def status(token: str | None) -> int:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return (await client.get(f"/api/images/{ref}", headers=headers)).status_code

    assert [await status(world.tokens[who]) for who in ("lotA1a", "custA1", "agentA", "platform")] == [200] * 4
    assert await status(world.tokens["agentB"]) == 404
    assert await status(world.tokens["viewer"]) == 403
    assert await status(None) == 401


async def test_graphql_loads_the_photos_of_many_tickets_in_one_query(db: Database, client: httpx.AsyncClient) -> None:
    world = await build_world(db)
    tickets = [await open_ticket(db, world) for _ in range(3)]
    token = world.tokens["lotA1a"]
    for shade, ticket_id in enumerate(tickets):
        await upload(client, ticket_id, token, picture(shade=shade))
    statements: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if "fault_ticket_photos" in statement:
            statements.append(statement)

    event.listen(db.engine.sync_engine, "before_cursor_execute", count)
    try:
        body = (
            await client.post(
                "/graphql",
                json={"query": "{ faultTickets { items { id photos { ref } } } }"},
                headers={"Authorization": f"Bearer {token}"},
            )
        ).json()
    finally:
        event.remove(db.engine.sync_engine, "before_cursor_execute", count)

    assert [len(t["photos"]) for t in body["data"]["faultTickets"]["items"]] == [1, 1, 1]
    assert len(statements) == 1


def _form_request(body: bytes, content_type: str) -> Request:
    scope = {"type": "http", "method": "POST", "path": "/", "headers": [(b"content-type", content_type.encode())]}
    return Request(scope)


@settings(max_examples=60, deadline=None)
@given(
    photos=st.lists(st.binary(max_size=300), max_size=3),
    fields=st.dictionaries(st.sampled_from(["note", "名称", "file"]), st.text(max_size=20), max_size=2),
)
def test_the_upload_takes_exactly_one_file_field_as_httpx_sends_it(photos: list[bytes], fields: dict[str, str]) -> None:
    files = [("file", (f"{i}.jpg", data, "image/jpeg")) for i, data in enumerate(photos)]
    request = httpx.Request("POST", "http://x/", files=files, data=fields) if files or fields else None
    body, content_type = (request.read(), request.headers["content-type"]) if request else (b"", "")

    got = asyncio.run(_photo(_form_request(body, content_type), body))

    assert got == (photos[0] if len(photos) == 1 else None)


@settings(max_examples=200, deadline=None)
@given(body=st.binary(max_size=400) | st.builds(lambda b: b"--B\r\n" + b, st.binary(max_size=400)))
def test_a_hostile_body_is_no_photo_and_no_crash(body: bytes) -> None:
    got = asyncio.run(_photo(_form_request(body, "multipart/form-data; boundary=B"), body))

    assert got is None or isinstance(got, bytes)
