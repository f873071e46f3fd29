"""Settings: base.py reads the environment; dev, test and production override a few values."""
