"""Helpers shared by the test suites: small real servers on 127.0.0.1 port 0."""
