"""The one place a process picks its image store from the settings: the API, the workers and the CLI call it."""

from __future__ import annotations

from config.settings import Settings
from parking.images import ImageStore, LocalImageStore

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
    from parking.images.s3 import S3ImageStore, S3Location, S3Options  # obstore is loaded only when used

    try:
        location = S3Location.parse(spec)
    except ValueError as err:
        raise ImageStoreSettingError(f"PARKCLOUD_IMAGE_STORE: {err}") from err
    return S3ImageStore(
        location,
        S3Options(
            endpoint_url=settings.s3_endpoint_url,
            region=settings.s3_region,
            access_key_id=settings.s3_access_key_id,
            secret_access_key=settings.s3_secret_access_key,
            timeout_s=settings.s3_timeout_s,
        ),
    )


def is_local(settings: Settings) -> bool:
    return settings.image_store in ("", LOCAL)
