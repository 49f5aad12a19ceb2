"""``lotStorageUsage`` with the images in S3 (moto): the API process's store is the bucket, and the sizes come from
bounded concurrent HEADs, never from the process's own disk."""

from __future__ import annotations

import pytest

from config.settings import Settings
from parking.common.database import Database
from tests.conftest import GraphQL
from tests.factories import build_world
from tests.retention.data import NOW, Lots
from tests.retention.test_settings import USAGE
from tests.s3 import S3Bucket


@pytest.fixture
def settings(settings: Settings, s3_bucket: S3Bucket) -> Settings:
    """The test app's images in the bucket, as ``PARKCLOUD_IMAGE_STORE=s3://...`` sets them."""
    return s3_bucket.settings(settings)


async def test_storage_usage_sizes_the_pictures_in_the_bucket(
    db: Database, gql: GraphQL, settings: Settings, s3_bucket: S3Bucket
) -> None:
    lots = Lots(db, await build_world(db), s3_bucket.store())
    shared = await lots.picture(NOW, tag="shared picture")  # 3 + 14 bytes, named twice: counted once
    crop = await lots.picture(NOW, tag="crop")  # 3 + 4 bytes
    await lots.event("A1a", 1, image_ref=shared, crop_ref=crop)
    await lots.event("A1a", 2, image_ref=shared)
    await lots.event("A1a", 3, image_ref="2026/01/01/" + "0" * 64 + ".jpg")  # not in the bucket: 0 bytes

    body = await gql(USAGE, {"ids": [lots.world.id("lot:A1a")]}, token=lots.world.tokens["custA1"])

    assert body.get("errors") is None, body
    [usage] = body["data"]["lotStorageUsage"]
    assert (usage["images"], usage["imageBytes"]) == (3, 17 + 7)
    assert not (settings.var_dir / "images").exists()
