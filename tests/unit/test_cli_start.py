"""Opening the app from the command line builds no command's parser and imports no command
(issue 13, start-up); every other command line is parsed by the full parser, as before."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from workbench.cli import COMMANDS, _app_args, build_parser

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("argv", [[], ["--workspace", "a b"], ["--workspace=x.prepull.toml"],
                                  ["--quit-after-first-paint"], ["--work", "x", "--quit"],
                                  ["--quit-after-first-paint", "--workspace", "fetch"]])
def test_the_apps_own_options_parse_as_the_full_parser_parses_them(argv):
    fast = _app_args(argv)
    assert fast is not None and vars(fast) == vars(build_parser().parse_args(argv))


@pytest.mark.parametrize("argv", [["fetch"], ["--workspace", "x", "serve"], ["-h"], ["--help"], ["--version"],
                                  ["--workspace"], ["--bogus"], ["--", "x"], ["x"]])
def test_anything_else_goes_to_the_full_parser(argv):
    assert _app_args(argv) is None


def test_every_command_is_registered_and_loaded_when_asked_for():
    assert list(COMMANDS) == ["fetch", "serve", "traffic", "coldstart", "history", "workspace", "check", "token"]
    for name, module in COMMANDS.items():
        assert module.__name__ == f"workbench.cli.{name}" and callable(module.add_parser) and callable(module.run)
    with pytest.raises(KeyError):
        COMMANDS["nope"]


def test_importing_the_cli_loads_no_command():
    code = ("import sys, workbench.cli\n"
            "print(sorted(m for m in sys.modules if m.startswith('workbench.cli.') and m not in "
            "('workbench.cli.args', 'workbench.cli.common') or m.split('.')[0] in ('httpx', 'pydantic')))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and out.stdout.strip() == "[]", (out.stdout, out.stderr)
