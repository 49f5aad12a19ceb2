"""Dramatiq actor of the image spool: the pictures a camera sent while the image store was down or slow
(parking/images/spool.py) are uploaded, and leave the spool once the store has them.

``parkcloud worker`` sends ``upload_spooled_images`` every ``PARKCLOUD_SPOOL_UPLOAD_INTERVAL_S`` seconds;
``parkcloud images upload-spool`` does the same once. The spool is a folder on one machine (``var_dir``): the
worker that drains it must share the API process's var directory. The upload is idempotent (same key, same
bytes; removed only after the put), so retries and two workers at once lose nothing and upload nothing twice
that matters.
"""

from __future__ import annotations

import asyncio
import logging
import threading

import dramatiq

from config.images import image_store, is_local, spool_dir
from config.settings import Settings
from parking.images.spool import ImageSpool, SpoolUpload, upload_spooled
from workers.broker import broker
from workers.schedule import send_every

logger = logging.getLogger(__name__)

QUEUE = "images"


async def run_spool_upload(settings: Settings) -> SpoolUpload:
    """Upload this machine's spooled pictures to the configured store (nothing to do on the local store)."""
    if is_local(settings):
        return SpoolUpload(0, 0)
    return await upload_spooled(ImageSpool(spool_dir(settings)), image_store(settings))


@dramatiq.actor(queue_name=QUEUE, max_retries=0, time_limit=3600 * 1000, broker=broker)
def upload_spooled_images() -> None:
    """No retries of its own: the next periodic send is the retry, and a store still down stops a run at once."""
    done = asyncio.run(run_spool_upload(Settings.from_env()))
    if done.uploaded or done.left or done.damaged:
        logger.info("%s", done.line())


def schedule_spool_upload(interval_s: float, stop: threading.Event | None = None) -> threading.Thread | None:
    """Send ``upload_spooled_images`` now and every ``interval_s`` seconds (0: off)."""
    return send_every(upload_spooled_images, interval_s, stop)
