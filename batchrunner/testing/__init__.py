"""Test helpers: a fault-injecting OpenAI-compatible server (see ``fakeserver``).

Names are loaded lazily so that ``python -m batchrunner.testing.fakeserver`` does not
import the module twice.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from batchrunner.testing.fakeserver import (
        DIRECTIVES,
        FakeServer,
        FakeServerConfig,
        message_key,
        schema_instance,
        spawn_fakeserver,
    )

__all__ = [
    "DIRECTIVES",
    "FakeServer",
    "FakeServerConfig",
    "message_key",
    "schema_instance",
    "spawn_fakeserver",
]


def __getattr__(name: str) -> Any:
    if name in __all__:
        return getattr(importlib.import_module("batchrunner.testing.fakeserver"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
