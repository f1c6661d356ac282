"""The mock server's rules and settings as one JSON file in the workspace (`mock.json`).

The same file works as `prepull-workbench serve --rules FILE`: its "rules" and "default" keys are
a rules file; "config" adds the users, token check and endpoint paths.
"""

from __future__ import annotations

import json
from pathlib import Path

from workbench.core.atomic import write_text_atomic
from workbench.core.errors import InvalidInput
from workbench.mockserver.rules import RuleSet
from workbench.mockserver.server import MockConfig

MOCK_FILE = "mock.json"


def dumps(config: MockConfig, rules: RuleSet) -> str:
    return json.dumps({**rules.to_json(), "config": config.to_json()}, ensure_ascii=False, indent=1)


def loads(text: str, source: str = "the mock settings file") -> tuple[MockConfig | None, RuleSet]:
    rules = RuleSet.loads(text, source)
    data = json.loads(text)
    config = MockConfig.from_json(data["config"]) if isinstance(data, dict) and "config" in data else None
    return config, rules


def load(path: Path) -> tuple[MockConfig | None, RuleSet] | None:
    """What the workspace holds, or None when there is no file yet."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise InvalidInput(f"Cannot read {path}: {exc.strerror}.") from None
    return loads(text, str(path))


def save(path: Path, config: MockConfig, rules: RuleSet) -> None:
    write_text_atomic(Path(path), dumps(config, rules))
