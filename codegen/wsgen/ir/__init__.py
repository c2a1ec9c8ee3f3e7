"""The intermediate model: what every frontend lowers into and every backend reads."""

from wsgen.ir.model import *  # noqa: F403
from wsgen.ir.model import __all__ as __all__
