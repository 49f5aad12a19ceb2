"""Tests for camera push codecs, lane display frames and the camera simulator."""
