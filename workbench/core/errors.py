"""The small exception hierarchy of the core.

Every message is one sentence addressed to the user: what is wrong and what to do about it.
"""

from __future__ import annotations


class WorkbenchError(Exception):
    """Base of every error the workbench raises on purpose."""


class InvalidInput(WorkbenchError, ValueError):
    """Something the user typed cannot form a valid pre-pull (the message says what to fix)."""


class StoreError(WorkbenchError):
    """The workspace database cannot be opened or written (the message says why)."""
