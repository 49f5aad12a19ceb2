"""The cloud side of field devices, in one place: the device record, its push secret and authentication (with a
per-process cache), registration with a probe, health (heartbeats, polling, status, camera clocks), device
commands and gate commands (recorded, relayed to hardware barriers, taken by a camera's poll)."""
