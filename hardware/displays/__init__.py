"""Lane display adapters: LED + voice frame codecs sent through the camera RS485 passthrough."""
