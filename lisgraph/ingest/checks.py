"""The input checks, under their earlier name (they live in :mod:`lisgraph.checks`, outside
this package, so that :mod:`lisgraph.csvtable` can use them without importing the loaders)."""

from .. import checks as _checks

globals().update({k: v for k, v in vars(_checks).items() if not k.startswith("__")})
__all__ = _checks.__all__
