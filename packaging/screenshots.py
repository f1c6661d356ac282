"""Screenshots of each main view, in English and Chinese, from the real app.

    python packaging/screenshots.py            # both languages -> resources/screenshots/{en,zh_CN}/
    python packaging/screenshots.py --lang zh_CN
    python packaging/screenshots.py --out /tmp/shots   # to look, without touching the README's

Each language runs in its own process: the app starts offscreen (QT_QPA_PLATFORM=offscreen) on a
throwaway workspace made like the first-run demo, with the mock server on a free loopback port. It
then does a real round trip before each picture: a send from the composer, a small traffic run,
a cold start, a periodic update. Chinese needs a CJK font (Debian: fonts-noto-cjk); the offscreen
platform finds fonts through fontconfig.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "resources" / "screenshots"
LANGUAGES = ("en", "zh_CN")
SIZE = (1280, 720)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def demo_workspace(folder: Path) -> Path:
    """A workspace like the first run's demo, wired to a mock server on a free port."""
    from workbench.app import wire_demo
    from workbench.core.workspace import DEMO_NAME, open_workspace

    ws = open_workspace(folder, new_name=DEMO_NAME)
    ws.doc.mock.port = free_port()
    wire_demo(ws)
    return ws.path


async def shoot(lang: str, out: Path) -> list[Path]:
    from PySide6.QtCore import QLocale
    from PySide6.QtWidgets import QApplication

    from workbench.app import install_translators
    from workbench.core.workspace import open_workspace
    from workbench.services import Services
    from workbench.ui.main_window import MainWindow

    install_translators(QApplication.instance(), QLocale(lang))
    folder = Path(tempfile.mkdtemp(prefix="prepull-shots-"))
    services = Services(open_workspace(demo_workspace(folder)))
    window = MainWindow(services)
    window.resize(*SIZE)
    window.show()
    saved: list[Path] = []

    async def settle() -> None:
        for _ in range(5):
            await asyncio.sleep(0.1)

    async def save(name: str) -> None:
        await settle()
        assert (window.width(), window.height()) == SIZE, f"the window is {window.width()}×{window.height()}"
        path = out / f"{name}.png"
        if not window.grab().save(str(path), "PNG"):
            raise SystemExit(f"could not write {path}")
        saved.append(path)

    try:
        await services.start_mock()
        # composer: one real send to the mock server
        window.tabs.setCurrentWidget(window.composer)
        window.composer.send()
        await window.composer.send_task
        await save("composer")
        # mock server: its log now holds the requests of the sends below too
        traffic = window.traffic_view
        window.tabs.setCurrentWidget(traffic)
        await settle()
        traffic.confirm_apply = lambda _percent: True
        traffic.percent.setValue(20)
        traffic.apply()
        traffic.run_count.setValue(400)
        traffic.run()
        await traffic.run_task
        await save("traffic")
        cache = window.cache_view
        window.tabs.setCurrentWidget(cache)
        cache.cold_user.setEditText("alice")
        cache.package_ms.setValue(600)
        cache.tools.setCurrentIndex(0)
        await cache.simulate()
        await cache.refresh()
        cache.table.selectRow(0)
        await save("cache")
        cache.tools.setCurrentIndex(2)
        await cache.periodic_token.set_user("alice")
        await cache.periodic_token.apply()  # the mock's token for alice, as onLaunch would set it (P20)
        await cache.jump(24)
        await save("cache-periodic")
        window.tabs.setCurrentWidget(window.mock_view)
        window.mock_view.log_view.table.selectRow(0)
        await save("mock-server")
        history = window.history_view
        window.tabs.setCurrentWidget(history)
        await history.model.reload()
        history.table.selectRow(0)  # the newest entry, in full in the detail pane
        if history.detail_task is not None:
            await history.detail_task
        await save("history")
    finally:
        window.close()
        await services.aclose()
    return saved


def run_one(lang: str, root: Path = OUT) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import qasync

    from workbench.app import create_application

    app = create_application()
    app.setStyle("Fusion")  # the same look on every machine that runs the script
    out = root / lang
    out.mkdir(parents=True, exist_ok=True)
    with asyncio.Runner(loop_factory=qasync.QEventLoop) as runner:
        saved = runner.run(shoot(lang, out))
    for path in saved:
        print(f"{path}  {path.stat().st_size // 1024} KB")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lang", choices=LANGUAGES, help="one language (default: each in its own process)")
    parser.add_argument("--out", type=Path, default=OUT, help=f"where to save (default: {OUT.relative_to(ROOT)})")
    args = parser.parse_args(argv)
    if args.lang:
        return run_one(args.lang, args.out.resolve())
    sandbox = tempfile.mkdtemp(prefix="prepull-shots-home-")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_DATA_HOME": f"{sandbox}/data",
           "XDG_CONFIG_HOME": f"{sandbox}/config", "PYTHONPATH": str(ROOT)}
    for lang in LANGUAGES:
        command = [sys.executable, __file__, "--lang", lang, "--out", str(args.out.resolve())]
        code = subprocess.call(command, env={**env, "PREPULL_LANG": lang})
        if code:
            return code
    return 0


if __name__ == "__main__":
    sys.exit(main())
