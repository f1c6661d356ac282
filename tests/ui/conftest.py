"""UI tests run on the loop the app runs on: qasync's QEventLoop over the test QApplication."""

from __future__ import annotations

import pytest
import pytest_asyncio
import qasync

from workbench.services import Services


def pytest_asyncio_loop_factories(config, item):
    from pytestqt.qt_compat import qt_api

    return {"qasync": lambda: qasync.QEventLoop(qt_api.QtWidgets.QApplication.instance())}


@pytest.fixture(autouse=True)
def _isolated_settings(tmp_path, monkeypatch):
    """QSettings (window geometry) go to a per-test folder, never the user's."""
    from PySide6.QtCore import QSettings

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))


@pytest.fixture(autouse=True)
def _no_modal_dialogs(monkeypatch):
    """A modal dialog would wait for a click that never comes (pytest-timeout cannot interrupt
    Qt's nested loop): a test that opens one fails at once, naming it, instead of hanging CI."""
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    def refuse(name):
        def call(*args, **kwargs):
            raise AssertionError(f"the test opened a modal {name}; stub it (e.g. view.confirm_apply)")
        return call

    for name in ("question", "warning", "critical", "information", "about"):
        monkeypatch.setattr(QMessageBox, name, refuse(f"QMessageBox.{name}"))
    for name in ("getSaveFileName", "getOpenFileName", "getExistingDirectory"):
        monkeypatch.setattr(QFileDialog, name, refuse(f"QFileDialog.{name}"))


@pytest.fixture
def workspace(workspace):
    """The test's workspace folder, holding a workspace file whose mock server takes a free port."""
    from workbench.core.workspace import open_workspace

    ws = open_workspace(workspace)
    ws.doc.mock.port = 0  # tests bind free ports only
    ws.save()
    return workspace


@pytest_asyncio.fixture
async def services(qapp, workspace):
    s = Services(workspace)
    yield s
    await s.aclose()


@pytest.fixture(params=["en", "zh_CN"])
def language(request, qapp):
    """The test runs in English, then in Chinese (the shipped translation, loaded as the app does)."""
    from PySide6.QtCore import QLocale

    from workbench.app import install_translators

    translators = install_translators(qapp, QLocale(request.param)) if request.param != "en" else []
    if request.param != "en":
        assert translators, "the zh_CN translation did not load"
    yield request.param
    for translator in translators:
        qapp.removeTranslator(translator)


@pytest.fixture
def chinese(qapp):
    """The test runs in Chinese."""
    from PySide6.QtCore import QLocale

    from workbench.app import install_translators

    translators = install_translators(qapp, QLocale("zh_CN"))
    assert translators, "the zh_CN translation did not load"
    yield
    for translator in translators:
        qapp.removeTranslator(translator)
