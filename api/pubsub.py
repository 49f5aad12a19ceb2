"""The event bus over Redis pub/sub: moved to ``parking.common.pubsub`` so the workers publish through it too
(they may not import ``api``); kept here for the imports that name it."""

from parking.common.pubsub import RedisBus, make_bus

__all__ = ["RedisBus", "make_bus"]
