#!/usr/bin/env bash
# Re-scan the sources for tr() strings, then build the .qm files the app loads. The .ts sources live in
# resources/translations; the built .qm ship inside the package (workbench/resources/translations) so that
# every install (pip, pipx, PyInstaller) carries them. tests/unit/test_packaging.py checks they are current.
# Translate new strings (type="unfinished") in resources/translations/*.ts, e.g. with pyside6-linguist,
# before running it again: tests/unit/test_translations.py fails while any is unfinished.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(dirname "$(command -v python)")
for ts in resources/translations/*.ts; do
  "$bin/pyside6-lupdate" -locations relative -no-obsolete $(find workbench -name '*.py' | sort) -ts "$ts"
  "$bin/pyside6-lrelease" "$ts" -qm "workbench/resources/translations/$(basename "${ts%.ts}").qm"
done
