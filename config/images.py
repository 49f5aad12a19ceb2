"""The one place a process picks its image store from the settings: the API, the workers and the CLI call it."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from config.settings import Settings
from parking.images import ImageStore, LocalImageStore
from parking.images.spool import ImageSpool, SpoolingStore

if TYPE_CHECKING:
    from parking.images.s3 import S3Options

LOCAL = "local"


class ImageStoreSettingError(ValueError):
    """``PARKCLOUD_IMAGE_STORE`` names no store we know: the process refuses to start rather than guess."""


def image_store(settings: Settings) -> ImageStore:
    """``PARKCLOUD_IMAGE_STORE`` empty or ``local``: files under ``var_dir/images`` (one process, or processes
    sharing that folder); ``s3://bucket/prefix``: the bucket, for several processes on several machines."""
    spec = settings.image_store
    if spec in ("", LOCAL):
        return LocalImageStore(settings.var_dir / "images")
    if not spec.startswith("s3://"):
        raise ImageStoreSettingError(f"PARKCLOUD_IMAGE_STORE must be empty, 'local' or s3://bucket/prefix: {spec!r}")
    from parking.images.s3 import S3ImageStore, S3Location  # obstore is loaded only when used

    try:
        location = S3Location.parse(spec)
    except ValueError as err:
        raise ImageStoreSettingError(f"PARKCLOUD_IMAGE_STORE: {err}") from err
    return S3ImageStore(location, _s3_options(settings))


def _s3_options(settings: Settings) -> S3Options:
    from parking.images.s3 import S3Options

    return S3Options(
        endpoint_url=settings.s3_endpoint_url,
        region=settings.s3_region,
        access_key_id=settings.s3_access_key_id,
        secret_access_key=settings.s3_secret_access_key,
        timeout_s=settings.s3_timeout_s,
    )


def spool_dir(settings: Settings) -> Path:
    """Where this machine keeps the pictures its cameras sent while the store was down (parking/images/spool.py)."""
    return settings.var_dir / "image_spool"


def camera_image_store(settings: Settings, store: ImageStore) -> ImageStore:
    """``store`` as the camera path sees it: on S3, a put bounded by ``PARKCLOUD_S3_CAMERA_TIMEOUT_S`` without
    retry that falls back to the spool, so the barrier never waits on a picture; the local store is the disk
    already and is returned as it is."""
    if is_local(settings):
        return store
    from parking.images.s3 import S3ImageStore, S3Location

    bounded = replace(_s3_options(settings), timeout_s=settings.s3_camera_timeout_s, retries=0)
    quick = S3ImageStore(S3Location.parse(settings.image_store), bounded)
    return SpoolingStore(store, quick, ImageSpool(spool_dir(settings)))


def is_local(settings: Settings) -> bool:
    return settings.image_store in ("", LOCAL)
