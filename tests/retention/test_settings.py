"""A lot's retention setting (rules, the mutation's scope, refusals and audit) and the storage usage query."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from parking.common.database import Database
from parking.images import LocalImageStore
from parking.retention.rules import Retention, changed, cutoffs, refusal
from parking.retention.texts import RetentionText
from parking.tenancy.models import Lot
from tests.api.helpers import audits, dump, reread
from tests.conftest import GraphQL
from tests.factories import build_world
from tests.retention.data import NOW, Lots

UPDATE = """
mutation($lotId: ID!, $input: LotRetentionInput!) {
  x: lotRetentionUpdate(lotId: $lotId, input: $input) {
    __typename
    ... on LotRetentionSuccess { lot { id imageRetentionDays recordRetentionDays } }
    ... on RetentionError { code message field }
  }
}
"""
READ = "query($id: ID!) { lot(id: $id) { imageRetentionDays recordRetentionDays } }"
USAGE = """
query($ids: [ID!]!) {
  lotStorageUsage(lotIds: $ids) { lotId sessions laneEvents recognitions images imageBytes }
}
"""


async def change(gql: GraphQL, token: str, lot_id: str, **values: Any) -> dict[str, Any]:
    body = await gql(UPDATE, {"lotId": lot_id, "input": values}, token=token)
    assert body.get("errors") is None, body
    result: dict[str, Any] = body["data"]["x"]
    return result


# The rules.


def test_a_row_exactly_as_old_as_the_setting_is_kept() -> None:
    cut = cutoffs(Retention(), NOW)
    assert (cut.images_before, cut.records_before) == (NOW - timedelta(days=30), NOW - timedelta(days=365))


@pytest.mark.parametrize(
    ("setting", "expected"),
    [
        (Retention(30, 365), None),
        (Retention(29, 365), (RetentionText.IMAGE_DAYS_TOO_SHORT, "imageDays")),
        (Retention(30, 364), (RetentionText.RECORD_DAYS_TOO_SHORT, "recordDays")),
        (Retention(400, 3651), (RetentionText.DAYS_TOO_LONG, "recordDays")),
        (Retention(400, 365), (RetentionText.IMAGES_OUTLIVE_RECORDS, "imageDays")),
    ],
)
def test_the_minimums_and_bounds(setting: Retention, expected: tuple[RetentionText, str] | None) -> None:
    found = refusal(setting)
    assert (None if found is None else (found.text, found.field)) == expected


def test_a_field_left_out_keeps_its_value() -> None:
    assert changed(Retention(60, 400), None, 500) == Retention(60, 500)


# The mutation.


async def test_the_defaults_read_30_and_365_days(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    body = await gql(READ, {"id": world.id("lot:A1a")}, token=world.tokens["lotA1a"])
    assert body["data"]["lot"] == {"imageRetentionDays": 30, "recordRetentionDays": 365}


async def test_the_mutation_stores_the_setting_and_records_the_change(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    lot_id = world.ids["lot:A1a"]

    result = await change(gql, world.tokens["custA1"], str(lot_id), imageDays=90, recordDays=730)

    assert result == {
        "__typename": "LotRetentionSuccess",
        "lot": {"id": str(lot_id), "imageRetentionDays": 90, "recordRetentionDays": 730},
    }
    [entry] = await audits(db)
    assert (entry.action, entry.entity_id, entry.actor_name, entry.lot_id, entry.before, entry.after) == (
        "lot.retention_update",
        lot_id,
        "custA1",
        lot_id,
        {"image_retention_days": 30, "record_retention_days": 365},
        {"image_retention_days": 90, "record_retention_days": 730},
    )
    # A second change of one field keeps the other.
    await change(gql, world.tokens["lotA1a"], str(lot_id), recordDays=800)
    lot = await reread(db, Lot, lot_id)
    assert lot is not None
    assert (lot.image_retention_days, lot.record_retention_days) == (90, 800)


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"imageDays": 29}, "imageDays", "图片保存期不得少于 30 天（GA/T 1742-2020）"),
        ({"recordDays": 364}, "recordDays", "记录保存期不得少于 365 天（GA/T 1742-2020）"),
        ({"imageDays": 7, "recordDays": 30}, "imageDays", "图片保存期不得少于 30 天（GA/T 1742-2020）"),
        ({"recordDays": 5000}, "recordDays", "保存期不得超过 3650 天"),
        ({"imageDays": 366}, "imageDays", "图片保存期不得长于记录保存期（365 天）"),
    ],
)
async def test_a_setting_below_the_minimum_is_refused_and_changes_nothing(
    db: Database, gql: GraphQL, values: dict[str, Any], field: str, message: str
) -> None:
    world = await build_world(db)
    before = await dump(db)

    result = await change(gql, world.tokens["platform"], world.id("lot:A1a"), **values)

    assert result == {"__typename": "RetentionError", "code": "INVALID", "message": message, "field": field}
    assert await dump(db) == before


@pytest.mark.parametrize(("operator", "lot"), [("agentB", "lot:A1a"), ("lotA1a", "lot:A1b"), ("custA1", "lot:A2a")])
async def test_a_lot_of_another_customer_is_not_found_and_untouched(
    db: Database, gql: GraphQL, operator: str, lot: str
) -> None:
    world = await build_world(db)
    before = await dump(db)

    result = await change(gql, world.tokens[operator], world.id(lot), imageDays=90)

    assert result == {"__typename": "RetentionError", "code": "NOT_FOUND", "message": "Lot not found", "field": "lotId"}
    assert await dump(db) == before


async def test_without_lots_manage_the_mutation_is_refused(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    before = await dump(db)
    body = await gql(UPDATE, {"lotId": world.id("lot:A1a"), "input": {"imageDays": 90}}, token=world.tokens["viewer"])
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"
    assert await dump(db) == before


# The storage usage.


async def test_storage_usage_counts_each_visible_lots_records_and_picture_bytes(
    db: Database, gql: GraphQL, tmp_path: Path
) -> None:
    # The app's store lives under the test settings' var_dir (tmp_path).
    lots = Lots(db, await build_world(db), LocalImageStore(tmp_path / "images"))
    shared = await lots.picture(NOW, tag="shared picture")  # 3 + 14 bytes, named twice: counted once
    crop = await lots.picture(NOW, tag="crop")  # 3 + 4 bytes
    stay = await lots.stay("A1a", exited_days=1)
    await lots.event("A1a", 1, session_id=stay, image_ref=shared, crop_ref=crop)
    await lots.event("A1a", 2, image_ref="2026/01/01/" + "0" * 64 + ".jpg")  # not in the store: 0 bytes
    await lots.event("B1a", 1, image_ref=await lots.picture(NOW))

    body = await gql(
        USAGE,
        {"ids": [lots.world.id("lot:A1a"), lots.world.id("lot:A1b"), lots.world.id("lot:B1a")]},
        token=lots.world.tokens["custA1"],
    )

    assert body.get("errors") is None, body
    assert body["data"]["lotStorageUsage"] == [
        {
            "lotId": lots.world.id("lot:A1a"),
            "sessions": 1,
            "laneEvents": 2,
            "recognitions": 1,
            "images": 3,
            "imageBytes": 17 + 7,
        },
        {
            "lotId": lots.world.id("lot:A1b"),
            "sessions": 0,
            "laneEvents": 0,
            "recognitions": 0,
            "images": 0,
            "imageBytes": 0,
        },
    ]
