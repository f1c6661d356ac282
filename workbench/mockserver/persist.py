"""The mock server's rules and settings: in the workspace file, or a JSON rules file.

In a workspace, the ``[mock]`` section holds the settings, users and rules, and the users' tokens
live in the data folder (they are secrets). ``serve --rules FILE`` still reads a JSON file of the
shape ``{"rules": [...], "default": {...}, "config": {...}}``; an older workspace's ``mock.json``
is migrated into the file when it is first opened as a workspace.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from workbench.core.errors import InvalidInput, RuleError
from workbench.core.workspace import Workspace
from workbench.mockserver import SAMPLE_USERS

if TYPE_CHECKING:  # loaded when rules are (pydantic): user_tokens() serves the first screen without them
    from workbench.mockserver.rules import RuleSet
    from workbench.mockserver.server import MockConfig

MOCK_FILE = "mock.json"


def user_tokens(ws: Workspace) -> dict[str, str]:
    """The tokens of the workspace's mock users by name: a new workspace's sample users (alice,
    bob) keep their sample tokens until the user sets others (tokens live in the data folder)."""
    return dict(SAMPLE_USERS) | ws.mock_tokens()


def dumps(config: MockConfig, rules: RuleSet) -> str:
    return json.dumps({**rules.to_json(), "config": config.to_json()}, ensure_ascii=False, indent=1)


def loads(text: str, source: str = "the mock settings file") -> tuple[MockConfig | None, RuleSet]:
    from workbench.mockserver.rules import RuleSet
    from workbench.mockserver.server import MockConfig

    rules = RuleSet.loads(text, source)
    data = json.loads(text)
    config = MockConfig.from_json(data["config"]) if isinstance(data, dict) and "config" in data else None
    return config, rules


def _plain(value: Any) -> Any:
    """TOML has no null and no tuples: the same data in types it can hold."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def from_workspace(ws: Workspace) -> tuple[MockConfig, RuleSet]:
    """The mock server's configuration and rules as the workspace holds them (validated)."""
    from workbench.mockserver.rules import RuleSet
    from workbench.mockserver.server import MockConfig

    section = ws.doc.mock
    tokens = user_tokens(ws)
    settings = dict(section.settings)
    settings["users"] = [{"name": u.name, "openid": u.openid, "token": tokens.get(u.name, "")}
                         for u in section.users]
    source = f"The [mock] section of {ws.path.name}"
    try:
        config = MockConfig.from_json(settings)
        rules = RuleSet.from_json({"rules": section.rules, **({"default": section.default} if section.default
                                                              else {})})
    except RuleError:
        raise
    except InvalidInput as exc:
        raise RuleError(f"{source}: {exc}") from None
    return config, rules


def to_workspace(ws: Workspace, config: MockConfig, rules: RuleSet) -> None:
    """Put the mock server's state into the document (tokens into the data folder); not saved yet."""
    from workbench.core.workspace_schema import MockConfigSection, MockUserConfig

    settings = _plain(config.to_json())
    users = settings.pop("users", [])
    data = _plain(rules.to_json())
    ws.doc.mock = MockConfigSection(
        host=ws.doc.mock.host, port=ws.doc.mock.port, tls=ws.doc.mock.tls, autostart=ws.doc.mock.autostart,
        settings=settings,
        users=[MockUserConfig(name=u["name"], openid=u.get("openid", "")) for u in users],
        rules=data.get("rules", []),
        default=data.get("default", {}),
    )
    ws.set_mock_tokens({u["name"]: u.get("token", "") for u in users})
