"""The one exception tree of the workbench (as httpx's ``_exceptions.py``).

Every message is one sentence addressed to the user: what is wrong and what to do about it.
Lower-level errors (sqlite3, OSError, tomllib, pydantic, httpx) are mapped to these in one place
per layer, never leaked: the CLI prints ``str(exc)`` and exits 2 for :class:`InvalidInput`, the
GUI shows it in the status bar or a dialog.

    WorkbenchError
    ├── InvalidInput (also ValueError)   bad input: exit status 2
    │   ├── RolloutRefused                a rollout change WeChat refuses (P26, P27)
    │   ├── WorkspaceError                the workspace file cannot be read, parsed or validated
    │   └── RuleError                     a mock rule that does not validate
    ├── StoreError                        the workspace database cannot be used
    │   ├── StoreBusy                     another process holds it longer than we wait
    │   ├── StoreDamaged                  the file is corrupt or not ours: left as it is
    │   └── StoreReadOnly                 the file or folder cannot be written
    └── ServerStartError                  a server could not listen (port taken, bad host)
"""

from __future__ import annotations


class WorkbenchError(Exception):
    """Base of every error the workbench raises on purpose."""


class InvalidInput(WorkbenchError, ValueError):
    """Something the user typed cannot form a valid pre-pull (the message says what to fix)."""


class RolloutRefused(InvalidInput):
    """A rollout change WeChat would refuse (lowering the percentage, P26; after promotion, P27)."""


class WorkspaceError(InvalidInput):
    """The workspace file is missing, damaged, of a newer version or does not validate.

    The file is never overwritten after this error: it is the user's to repair.
    """


class RuleError(InvalidInput):
    """A mock-server rule (or rules file) does not validate."""


class StoreError(WorkbenchError):
    """The workspace database cannot be opened or written (the message says why)."""


class StoreBusy(StoreError):
    """Another process holds the database for longer than the workbench waits."""


class StoreDamaged(StoreError):
    """The database file is damaged or is not a workspace database; it is left untouched."""


class StoreReadOnly(StoreError):
    """The database or its folder cannot be written."""


class ServerStartError(WorkbenchError):
    """A server could not start (port taken, bad host); the message says what to do."""
