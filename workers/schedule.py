"""Jobs sent on a fixed interval by `parkcloud worker`: a daemon thread per job, sending it now and every period."""

from __future__ import annotations

import logging
import threading

import dramatiq

logger = logging.getLogger(__name__)


def send_every(
    actor: dramatiq.Actor[[], None], interval_s: float, stop: threading.Event | None = None
) -> threading.Thread | None:
    """Send ``actor`` now and every ``interval_s`` seconds until ``stop`` is set (0: off, no thread)."""
    if interval_s <= 0:
        return None
    stopped = stop or threading.Event()

    def run() -> None:
        while not stopped.is_set():
            try:
                actor.send()
            except Exception:  # a broker hiccup: the next tick sends again
                logger.exception("could not send %s", actor.actor_name)
            stopped.wait(interval_s)

    thread = threading.Thread(target=run, name=f"every-{actor.actor_name}", daemon=True)
    thread.start()
    logger.info("%s every %g s", actor.actor_name, interval_s)
    return thread
