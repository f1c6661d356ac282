"""Every test runs offscreen, on a fresh workspace, against servers on 127.0.0.1 port 0."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PREPULL_LANG", "en")


import pytest
import pytest_asyncio
from hypothesis import HealthCheck, settings

from tests.support.servers import make_app
from workbench.core.store import Store
from workbench.mockserver.runner import ServerRunner
from workbench.mockserver.server import MockServer

# -- Hypothesis profiles (fuzzing, issue 11 item 8; secrets helper) --------------------------
# "ci", the default: a few hundred examples per target in every run. "fuzz": 10,000 per target,
# for the tests marked `fuzz`, which the default run deselects:
#     HYPOTHESIS_PROFILE=fuzz python -m pytest -p no:cacheprovider -m fuzz tests/reliability
CI_EXAMPLES, FUZZ_EXAMPLES = 100, 10_000
settings.register_profile("ci", max_examples=CI_EXAMPLES, deadline=None)
settings.register_profile("fuzz", max_examples=FUZZ_EXAMPLES, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
# -- end of the Hypothesis profiles ------------------------------------------------------------


@pytest.fixture
def workspace(tmp_path):
    path = tmp_path / "workspace"
    path.mkdir()
    return path


@pytest.fixture
def server_app():
    return make_app()


@pytest_asyncio.fixture
async def server(server_app):
    """A real uvicorn server on 127.0.0.1, port 0, in the test's loop. Yields its base URL."""
    runner = ServerRunner(server_app, "127.0.0.1", 0)
    url = await runner.start()
    yield url
    await runner.stop()


@pytest_asyncio.fixture
async def mock():
    """The mock developer server, running on 127.0.0.1 port 0 in the test's loop."""
    server = MockServer()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
def store(workspace):
    """The workspace database, closed after the test."""
    s = Store.in_workspace(workspace)
    yield s
    s.close()
