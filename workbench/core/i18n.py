"""Marking core texts for translation without importing Qt.

Qt's lupdate finds ``QT_TRANSLATE_NOOP("Context", "text")`` calls by name, so the core writes its
user-facing templates through this no-op; the GUI passes them to ``QCoreApplication.translate``
with the same context, while the CLI prints the English.
"""

from __future__ import annotations


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - the name lupdate looks for
    return text
