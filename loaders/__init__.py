"""Package data shipped as lisgraph._loaders (see lisgraph/assets.py); holds no code."""
