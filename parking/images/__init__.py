"""Where lane images live: a local file store by default (``local``), any S3-compatible store as an option
(``s3``, imported only where configured, see ``config/images.py``)."""

from parking.images.local import LocalImageStore
from parking.images.store import (
    ImageNotFound,
    ImageStore,
    ImageStoreUnavailable,
    check_ref,
    ref_day,
    ref_for,
    suffix_of,
)

__all__ = [
    "ImageNotFound",
    "ImageStore",
    "ImageStoreUnavailable",
    "LocalImageStore",
    "check_ref",
    "ref_day",
    "ref_for",
    "suffix_of",
]
