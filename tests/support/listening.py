"""Is a server there? Probes for tests of starting and stopping servers (loopback only)."""

from __future__ import annotations

import socket
import threading


def listening(port: int, timeout: float = 5.0) -> bool:
    """Whether something accepts connections on 127.0.0.1:``port`` (refused: nothing listens)."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout):
            return True
    except ConnectionRefusedError:
        return False


def mock_threads() -> list[threading.Thread]:
    """The embedded mock server's threads still alive (MockServer(own_thread=True))."""
    return [t for t in threading.enumerate() if t.name == "mock server" and t.is_alive()]
