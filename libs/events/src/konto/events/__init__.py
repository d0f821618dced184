"""`konto.events`: the same names as `konto.common.events` (the modules this wheel ships), for
subscribers who prefer the short import."""

from konto.common.events import *  # noqa: F403
from konto.common.events import __all__ as __all__
