"""Package data shipped as lisgraph._queries (see lisgraph/assets.py); holds no code."""
