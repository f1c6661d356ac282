"""Workflow objects: one per job, owning its tasks and announcing progress with Qt signals.

Views call their methods and listen to their signals; the work itself is plain async core code.
"""
