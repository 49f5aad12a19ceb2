"""Types of the live API: an alarm together with what just happened to it."""

from __future__ import annotations

from enum import Enum

import strawberry

from schema.alarms.types import AlarmType


@strawberry.enum(description="What happened to an alarm.")
class AlarmChangeKind(Enum):
    RAISED = "raised"
    REPEATED = "repeated"
    ACKNOWLEDGED = "acknowledged"
    RESOLVED = "resolved"


@strawberry.type(description="An alarm as it is now, and the change that was published.")
class AlarmChange:
    change: AlarmChangeKind
    alarm: AlarmType
