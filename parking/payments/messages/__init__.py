"""Subscribe messages to drivers (车辆入场通知): one per stay and kind, sent after commit, recorded."""
