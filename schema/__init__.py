"""Package data shipped as lisgraph._schema (see lisgraph/assets.py); holds no code."""
