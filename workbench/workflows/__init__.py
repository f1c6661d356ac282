"""Workflows: one object per job (send, cold start, periodic clock, traffic run, replay, export),
outside the widgets. They own their tasks and announce results with Qt signals; views render
those and forward the user's actions. Each is testable without a window."""
