"""Lane images over HTTP: the caller's token and scope decide, and every refusal reads alike."""

from __future__ import annotations

import httpx

from config.settings import Settings
from parking.common.database import Database
from tests.factories import build_world
from tests.recognition.world_tasks import lane_picture, seed_task


async def test_an_operator_in_scope_gets_the_picture_and_the_crop(
    db: Database, client: httpx.AsyncClient, settings: Settings
) -> None:
    world = await build_world(db)
    task = await seed_task(db, world, "A1a", ["京A12345", "京A12845"], settings.var_dir / "images")
    jpeg, png = lane_picture("A12345")
    headers = {"Authorization": f"Bearer {world.tokens['custA1']}"}

    picture = await client.get(f"/api/images/{task.image_ref}", headers=headers)
    crop = await client.get(f"/api/images/{task.crop_ref}", headers=headers)

    assert (picture.status_code, picture.headers["content-type"], picture.content) == (200, "image/jpeg", jpeg)
    assert (crop.status_code, crop.headers["content-type"], crop.content) == (200, "image/png", png)
    assert picture.headers["cache-control"] == "private, max-age=86400"


async def test_other_tenants_unknown_refs_and_strangers_are_refused(
    db: Database, client: httpx.AsyncClient, settings: Settings
) -> None:
    world = await build_world(db)
    task = await seed_task(db, world, "A1a", ["京A12345", "京A12845"], settings.var_dir / "images")
    sibling = await seed_task(db, world, "A1b", ["京B54321", "京B54327"], settings.var_dir / "images")

    async def status(ref: str, token: str | None) -> int:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return (await client.get(f"/api/images/{ref}", headers=headers)).status_code

    # another agent's operator, and a lot operator of a sibling lot, see a 404 like for a missing picture
    assert await status(task.image_ref, world.tokens["agentB"]) == 404
    assert await status(task.crop_ref, world.tokens["agentB"]) == 404
    assert await status(sibling.image_ref, world.tokens["lotA1a"]) == 404
    assert await status(sibling.image_ref, world.tokens["custA1"]) == 200
    missing = task.image_ref[:11] + "b" * 64 + ".jpg"
    assert await status(missing, world.tokens["platform"]) == 404
    assert await status("../../etc/passwd", world.tokens["platform"]) == 404
    # no token, and an operator without any page that shows pictures
    assert await status(task.image_ref, None) == 401
    assert await status(task.image_ref, world.tokens["viewer"]) == 403
