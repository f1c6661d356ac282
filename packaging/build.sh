#!/usr/bin/env bash
# Build the one-folder desktop app with PyInstaller: DIST/prepull-workbench/prepull-workbench.
# Needs `pip install '.[package]'` in the Python that runs it (PYTHON, default: python3).
# DIST (default: dist) and WORK (default: build/pyinstaller) say where the app and the scratch go.
# Smoke test of the result:
#   QT_QPA_PLATFORM=offscreen dist/prepull-workbench/prepull-workbench --quit-after-first-paint
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
DIST=${DIST:-dist}
WORK=${WORK:-build/pyinstaller}
"$PYTHON" -m PyInstaller --noconfirm --log-level WARN --distpath "$DIST" --workpath "$WORK" \
  packaging/prepull-workbench.spec
echo "built $DIST/prepull-workbench/prepull-workbench"
