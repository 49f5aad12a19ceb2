"""The lot edge agent (`parkcloud edge`): relays camera pushes to the cloud and decides alone when cut off."""
