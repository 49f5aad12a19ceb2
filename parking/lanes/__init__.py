"""The lane flow: a reading at a lane becomes a decision (open or hold, display, fee) and a session change."""
