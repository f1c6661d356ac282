"""Load an exported Locust file's functions without importing locust (which monkey-patches the
whole test process with gevent): its two imports are answered by small stand-ins for the run."""

from __future__ import annotations

import sys
import types
from typing import Any
from unittest import mock


class _Events:
    """`events.test_start.add_listener` as a decorator that keeps the function."""

    def __init__(self) -> None:
        self.test_start = types.SimpleNamespace(add_listener=lambda fn: fn)


def load_locustfile(source: str, filename: str = "<exported locustfile>") -> dict[str, Any]:
    """The module namespace of the exported file (its LAUNCHES, USERS, launch_for, side, ...)."""
    locust = types.ModuleType("locust")
    locust.FastHttpUser = type("FastHttpUser", (), {})  # type: ignore[attr-defined]
    locust.events = _Events()  # type: ignore[attr-defined]
    locust.task = lambda fn: fn  # type: ignore[attr-defined]
    exception = types.ModuleType("locust.exception")
    exception.StopUser = type("StopUser", (Exception,), {})  # type: ignore[attr-defined]
    locust.exception = exception  # type: ignore[attr-defined]
    namespace: dict[str, Any] = {"__name__": "exported_locustfile"}
    with mock.patch.dict(sys.modules, {"locust": locust, "locust.exception": exception}):
        exec(compile(source, filename, "exec"), namespace)  # the file the test just rendered
    return namespace
