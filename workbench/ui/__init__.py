"""PySide6 widgets and models: thin views over the services."""
