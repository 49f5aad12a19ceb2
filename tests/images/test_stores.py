"""Both image stores keep the same contract: content-hash refs, idempotent puts, one "not found" for a missing or
malformed ref, and nothing reachable outside the store's root. The S3 store runs against a real S3 server (moto)."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime
from pathlib import Path

import pytest

from parking.images import ImageNotFound, ImageStore, ImageStoreUnavailable, LocalImageStore, ref_for
from parking.images.s3 import SIZE_CONCURRENCY, S3ImageStore, S3Location, S3Options
from tests.s3 import KEY_ID, REGION, SECRET, S3Bucket

AT = datetime(2026, 12, 6, 8, 30, tzinfo=UTC)
JPEG = b"\xff\xd8\xff" + b"lane picture"
PNG = b"\x89PNG" + b"plate crop"
MISSING = "2026/12/06/" + "0" * 64 + ".jpg"
ESCAPES = [
    "../../etc/passwd",
    "/etc/passwd",
    "2026/12/06/../../../secret.jpg",
    "2026/12/06/" + "a" * 64 + ".jpg/../../x.jpg",
    "2026/12/06/" + "A" * 64 + ".jpg",
    "..%2F..%2Fsecret.jpg",
    "secret.jpg",
    "",
]


@pytest.fixture(params=["local", "s3"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> ImageStore:
    if request.param == "local":
        return LocalImageStore(tmp_path / "images")
    bucket: S3Bucket = request.getfixturevalue("s3_bucket")
    return bucket.store("lots/images")


async def stored(store: ImageStore, tmp_path: Path) -> list[str]:
    """What the store holds, from underneath it: files on disk, or the bucket's keys."""
    if isinstance(store, LocalImageStore):
        return sorted(str(p.relative_to(store.root)) for p in store.root.rglob("*") if p.is_file())
    assert isinstance(store, S3ImageStore)
    return await S3Bucket(store.endpoint_url, store.location.bucket).keys()


async def test_put_names_the_picture_by_its_day_and_hash_and_get_reads_it_back(
    store: ImageStore, tmp_path: Path
) -> None:
    jpeg_ref = await store.put(JPEG, AT)
    png_ref = await store.put(PNG, AT)

    assert jpeg_ref == ref_for(JPEG, AT)
    assert jpeg_ref.startswith("2026/12/06/")
    assert jpeg_ref.endswith(".jpg")
    assert png_ref.endswith(".png")
    assert await store.get(jpeg_ref) == JPEG
    assert await store.get(png_ref) == PNG


async def test_the_same_bytes_twice_are_one_object(store: ImageStore, tmp_path: Path) -> None:
    first = await store.put(JPEG, AT)
    again = await store.put(JPEG, AT)

    assert first == again
    prefix = "" if isinstance(store, LocalImageStore) else "lots/images/"
    assert await stored(store, tmp_path) == [prefix + first]


async def test_one_picture_put_by_many_pushes_at_once_is_stored_once(tmp_path: Path) -> None:
    # Local only: S3 replaces an object atomically on its own, and moto's server fails concurrent overwrites of one
    # key (its own "I/O operation on closed file"), which would test moto rather than us.
    # given one car read by both entry cameras at once, many times over: the same bytes, put concurrently (a
    # picture large enough that the writes overlap)
    store = LocalImageStore(tmp_path / "images")
    picture = JPEG + bytes(range(256)) * 4096

    # when every push stores it at the same moment
    refs = await asyncio.gather(*(store.put(picture, AT) for _ in range(24)))

    # then every push has its ref, and the store holds one whole copy and no temporary file
    assert set(refs) == {ref_for(picture, AT)}
    assert await stored(store, tmp_path) == [refs[0]]
    assert await store.get(refs[0]) == picture


async def test_a_missing_picture_is_not_found_everywhere(store: ImageStore) -> None:
    with pytest.raises(ImageNotFound):
        await store.get(MISSING)
    assert await store.size(MISSING) is None
    assert await store.delete(MISSING) is False


@pytest.mark.parametrize("ref", ESCAPES)
async def test_refs_that_could_leave_the_store_are_refused(store: ImageStore, ref: str, tmp_path: Path) -> None:
    await store.put(JPEG, AT)
    before = await stored(store, tmp_path)

    with pytest.raises(ImageNotFound):
        await store.get(ref)
    assert await store.size(ref) is None
    assert await store.delete(ref) is False
    assert await store.sizes([ref]) == {}
    assert await stored(store, tmp_path) == before


async def test_delete_removes_once_and_a_second_delete_is_a_no_op(store: ImageStore) -> None:
    ref = await store.put(JPEG, AT)

    assert await store.delete(ref) is True
    assert await store.delete(ref) is False
    with pytest.raises(ImageNotFound):
        await store.get(ref)


async def test_delete_many_removes_the_stored_ones_and_counts_them(store: ImageStore, tmp_path: Path) -> None:
    jpeg, png = await store.put(JPEG, AT), await store.put(PNG, AT)
    kept = await store.put(JPEG + b"kept", AT)

    assert await store.delete_many([jpeg, png, jpeg, MISSING, "../../etc/passwd"]) == 2
    assert await store.delete_many([jpeg, png]) == 0
    assert await store.delete_many([]) == 0
    prefix = "" if isinstance(store, LocalImageStore) else "lots/images/"
    assert await stored(store, tmp_path) == [prefix + kept]


async def test_size_and_sizes_report_only_what_is_stored(store: ImageStore) -> None:
    jpeg, png = await store.put(JPEG, AT), await store.put(PNG, datetime(2026, 1, 2, tzinfo=UTC))

    assert await store.size(jpeg) == len(JPEG)
    assert await store.sizes([jpeg, png, MISSING, "../x.jpg", jpeg]) == {jpeg: len(JPEG), png: len(PNG)}
    assert await store.sizes([]) == {}


# S3 only: the prefix, objects outside it, and a store that does not answer.


async def test_an_s3_store_keeps_to_its_prefix(s3_bucket: S3Bucket) -> None:
    lots, other = s3_bucket.store("lots/images"), s3_bucket.store("elsewhere")
    ref = await lots.put(JPEG, AT)
    # An object at the bucket's root, with a ref's shape: not this store's.
    await s3_bucket.put_raw(ref_for(PNG, AT), PNG)

    assert await s3_bucket.keys() == sorted([f"lots/images/{ref}", ref_for(PNG, AT)])
    with pytest.raises(ImageNotFound):
        await other.get(ref)
    with pytest.raises(ImageNotFound):
        await lots.get(ref_for(PNG, AT))
    assert await other.sizes([ref]) == {}


def test_the_location_parses_bucket_and_prefix_and_refuses_the_rest() -> None:
    assert S3Location.parse("s3://images") == S3Location("images", "")
    assert S3Location.parse("s3://images/parkcloud/lane/") == S3Location("images", "parkcloud/lane")
    assert str(S3Location.parse("s3://images/parkcloud")) == "s3://images/parkcloud"
    for bad in ("s3://", "s3:///prefix", "http://images/x", "images/x", "s3://b/a//c", "s3://b/../x", "s3://b/x?y"):
        with pytest.raises(ValueError, match=r"s3|prefix"):
            S3Location.parse(bad)


async def test_an_unreachable_s3_is_unavailable_not_missing_with_one_log_line(
    refused_endpoint: str, caplog: pytest.LogCaptureFixture
) -> None:
    store = S3ImageStore(S3Location("parkcloud-down", "images"), S3Options(refused_endpoint, REGION, KEY_ID, SECRET, 2))
    caplog.set_level(logging.ERROR, logger="parking.images.s3")

    with pytest.raises(ImageStoreUnavailable, match="s3://parkcloud-down/images"):
        await store.put(JPEG, AT)
    with pytest.raises(ImageStoreUnavailable):
        await store.get(ref_for(JPEG, AT))
    with pytest.raises(ImageStoreUnavailable):
        await store.sizes([ref_for(JPEG, AT)])

    put_lines = [r for r in caplog.records if " put " in r.getMessage()]
    assert len(put_lines) == 1
    assert put_lines[0].exc_info is None
    assert "s3://parkcloud-down/images" in put_lines[0].getMessage()


async def test_sizes_on_an_unreachable_s3_stop_at_the_first_failure(
    refused_endpoint: str, caplog: pytest.LogCaptureFixture
) -> None:
    store = S3ImageStore(S3Location("parkcloud-down"), S3Options(refused_endpoint, REGION, KEY_ID, SECRET, 2))
    caplog.set_level(logging.ERROR, logger="parking.images.s3")
    refs = [ref_for(JPEG + str(i).encode(), AT) for i in range(200)]

    with pytest.raises(ImageStoreUnavailable):
        await store.sizes(refs)

    assert 1 <= len(caplog.records) <= SIZE_CONCURRENCY  # the HEADs in flight at most, never one per ref


async def test_a_hung_s3_is_cut_at_the_timeout(silent_endpoint: str, caplog: pytest.LogCaptureFixture) -> None:
    store = S3ImageStore(S3Location("parkcloud-hung"), S3Options(silent_endpoint, REGION, KEY_ID, SECRET, 0.5))
    caplog.set_level(logging.ERROR, logger="parking.images.s3")

    with pytest.raises(ImageStoreUnavailable):
        await store.put(JPEG, AT)
    assert any("parkcloud-hung" in r.getMessage() for r in caplog.records)


async def test_a_missing_bucket_refuses_the_put_as_unavailable(s3_bucket: S3Bucket) -> None:
    store = S3ImageStore(S3Location(s3_bucket.name + "-gone"), s3_bucket.options())

    with pytest.raises(ImageStoreUnavailable, match="no such bucket"):
        await store.put(JPEG, AT)
