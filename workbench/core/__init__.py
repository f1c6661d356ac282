"""The Qt-free domain layer: protocol, client, cache, store. Usable from the CLI, tests and the GUI."""
