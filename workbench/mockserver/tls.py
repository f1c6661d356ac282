"""HTTPS for the mock server: a certificate authority made on this machine, trusted only by us.

WeChat requires HTTPS for the download address (P10); with this the whole path, TLS included,
can be tested locally. Nothing is written to the system trust store.
"""

from __future__ import annotations

import ssl
from dataclasses import dataclass

import trustme


@dataclass(frozen=True)
class LocalTLS:
    server_context: ssl.SSLContext
    #: Trusts the system's authorities plus exactly this local one.
    client_context: ssl.SSLContext
    ca_pem: bytes


def make_local_tls(hosts: tuple[str, ...] = ("127.0.0.1", "localhost", "::1")) -> LocalTLS:
    ca = trustme.CA(organization_name="Prepull Workbench local CA")
    cert = ca.issue_cert(*hosts)
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    cert.configure_cert(server)
    client = ssl.create_default_context()
    ca.configure_trust(client)
    return LocalTLS(server, client, ca.cert_pem.bytes())
