"""Every test runs offscreen, on a fresh workspace, against servers on 127.0.0.1 port 0."""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PREPULL_LANG", "en")
# Never touch the user's real workspaces or settings: the default workspace (user data dir) and
# QSettings (config dir) of every test, and of every CLI process a test starts, are throwaway.
_sandbox = tempfile.mkdtemp(prefix="prepull-tests-")
os.environ["XDG_DATA_HOME"] = os.path.join(_sandbox, "data")
os.environ["XDG_CONFIG_HOME"] = os.path.join(_sandbox, "config")
# ruff: noqa: E402 (the environment must be set before Qt and platformdirs are imported)


import pytest
import pytest_asyncio
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from tests.support.servers import make_app
from workbench.core.store import Store
from workbench.mockserver.runner import ServerRunner
from workbench.mockserver.server import MockServer


@pytest.fixture(scope="session", autouse=True)
def _collect_on_the_gui_thread(qapp):
    """As the app does (workbench.app.MainThreadCollector): the cyclic collector runs on the GUI
    thread only, so a Qt object left in a reference cycle is never destroyed by a worker thread
    that happens to allocate (Qt: "Timers cannot be stopped from another thread", then a crash)."""
    from workbench.app import MainThreadCollector

    if not qapp.findChildren(MainThreadCollector):
        MainThreadCollector(qapp)
    yield


@pytest.fixture(autouse=True)
def _collect_between_tests(_collect_on_the_gui_thread, qapp):
    """What automatic collection would have done meanwhile, on this (the GUI) thread."""
    yield
    from workbench.app import MainThreadCollector

    for collector in qapp.findChildren(MainThreadCollector):
        collector.check()


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


# -- hypothesis profiles (issue 11 item 8) --------------------------------------------------------
# "ci" (the default) keeps every property test quick enough for each run; "fuzz" is the long run:
#   HYPOTHESIS_PROFILE=fuzz python -m pytest -m fuzz tests/reliability
# Tests marked @pytest.mark.fuzz are deselected by default (pyproject addopts) and take the "fuzz"
# profile's example count whatever profile is loaded.
CI_EXAMPLES, FUZZ_EXAMPLES = 150, 10_000
hypothesis_settings.register_profile(
    "ci", max_examples=CI_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
hypothesis_settings.register_profile(
    "fuzz", max_examples=FUZZ_EXAMPLES, deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much])
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
# -- end of hypothesis profiles -------------------------------------------------------------------
