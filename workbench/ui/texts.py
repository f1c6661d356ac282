"""Core texts in the user's language: verdict reasons and scene meanings.

The core writes them in English through a lupdate marker (core/i18n.py); here they go through
Qt's translation with the same context and get their fields filled in.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QCoreApplication

from workbench.core.diagnose import CAUSE_TEMPLATES, Cause
from workbench.core.i18n import QT_TRANSLATE_NOOP
from workbench.core.model import REASON_TEMPLATES, Reason
from workbench.core.protocol import SCENES

#: A size as the core writes it into a reason ("262,145 bytes (256.0 KB)"): said in the user's language.
_SIZE_ARG = re.compile(r"^(?P<n>[\d,]+) bytes \((?P<kb>[\d.,]+) KB\)$")
_SIZE_TEXT = QT_TRANSLATE_NOOP("Reasons", "{n} bytes ({kb} KB)")


def _localized_arg(value: str) -> str:
    match = _SIZE_ARG.match(value)
    if match is None:
        return value
    return QCoreApplication.translate("Reasons", _SIZE_TEXT).format(n=match["n"], kb=match["kb"])


def reason_text(reason: Reason) -> str:
    template = REASON_TEMPLATES.get(reason.key)
    if template is None:
        return reason.message
    try:
        args = {key: _localized_arg(value) for key, value in reason.args}
        return QCoreApplication.translate("Reasons", template).format(**args)
    except (KeyError, IndexError, ValueError):  # a translation that lost a field: say it in English
        return reason.message


def cause_text(cause: Cause) -> str:
    """A why-is-it-empty cause in the user's language, quoting its verdict reason the same way."""
    args = dict(cause.args)
    if cause.reason is not None:
        args["reason"] = reason_text(cause.reason)
    try:
        return QCoreApplication.translate("Causes", CAUSE_TEMPLATES[cause.key]).format(**args)
    except (KeyError, IndexError, ValueError):
        return cause.message


def scene_meaning_text(scene: int | None) -> str:
    meaning = SCENES.get(scene) if scene is not None else None
    return QCoreApplication.translate("Scenes", meaning) if meaning else ""


def scene_label(scene: int | None) -> str:
    """'1047 · scan a Mini Program code', translated; just the number for unknown scenes."""
    if scene is None:
        return ""
    meaning = scene_meaning_text(scene)
    return f"{scene} · {meaning}" if meaning else str(scene)


def endpoint_text(endpoint: str) -> str:
    """A mock server endpoint ("main", "gray", "periodic") as the user reads it; other values as they are."""
    names = {"main": QT_TRANSLATE_NOOP("Endpoints", "main"), "gray": QT_TRANSLATE_NOOP("Endpoints", "gray"),
             "periodic": QT_TRANSLATE_NOOP("Endpoints", "periodic")}
    name = names.get(endpoint)
    return QCoreApplication.translate("Endpoints", name) if name else endpoint


def fault_text(fault: str) -> str:
    """A mock rule's fault in a few words, for the log; other values as they are."""
    names = {"drop": QT_TRANSLATE_NOOP("Faults", "dropped"), "stall": QT_TRANSLATE_NOOP("Faults", "stalled"),
             "truncate": QT_TRANSLATE_NOOP("Faults", "truncated")}
    name = names.get(fault)
    return QCoreApplication.translate("Faults", name) if name else fault
