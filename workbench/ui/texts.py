"""Core texts in the user's language: verdict reasons and scene meanings.

The core writes them in English through a lupdate marker (core/i18n.py); here they go through
Qt's translation with the same context and get their fields filled in.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from workbench.core.client import REASON_TEMPLATES, Reason
from workbench.core.diagnose import CAUSE_TEMPLATES, Cause
from workbench.core.protocol import SCENES


def reason_text(reason: Reason) -> str:
    template = REASON_TEMPLATES.get(reason.key)
    if template is None:
        return reason.message
    try:
        return QCoreApplication.translate("Reasons", template).format(**dict(reason.args))
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
