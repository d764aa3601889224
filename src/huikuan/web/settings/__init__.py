"""Settings: :mod:`.base` shared, :mod:`.dev` for a laptop and tests, :mod:`.production`."""
