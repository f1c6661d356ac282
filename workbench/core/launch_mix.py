"""How simulated users launch the Mini Program: a weighted mix of launches (path, query, scene,
version), picked per user deterministically, for traffic runs and the Locust export alike.

A mix is a small table. On the command line: ``--scene-mix 1001:70,1047:30`` (the other launch
fields from ``--path/--query/--version``) or ``--launch-mix FILE``, a CSV file with the header
``weight,path,query,scene,version``. User *i* always gets the same launch for the same mix: the
pick hashes the user index into the total weight, so a rerun (or the Locust export) sends each
user exactly what it sent before, and large runs follow the weights closely.
"""

from __future__ import annotations

import csv
import hashlib
import io
from bisect import bisect_right
from dataclasses import dataclass, field
from itertools import accumulate
from pathlib import Path

from workbench.core.errors import InvalidInput
from workbench.core.protocol import Launch, parse_scene

#: Guards against a typo that would make the cumulative table huge.
MAX_TOTAL_WEIGHT = 1_000_000_000
COLUMNS = ("weight", "path", "query", "scene", "version")
#: How users launch when nothing else is said (a traffic run, its Locust export, the CLI's defaults).
DEFAULT_LAUNCH = Launch(path="pages/index/index", scene=1001)


def check_weight(value: object) -> int:
    """A launch's weight: a whole number from 1 to MAX_TOTAL_WEIGHT (InvalidInput, one sentence)."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidInput(f"A launch's weight must be a whole number of at least 1, not {value!r}.")
    if value > MAX_TOTAL_WEIGHT:
        raise InvalidInput(f"A launch's weight must be at most {MAX_TOTAL_WEIGHT:,}, not {value:,}.")
    return value


def parse_weight(text: str) -> int:
    """A weight as typed (a CSV cell, the app's table, ``--scene-mix``): ASCII digits, 1 or more.
    (``str.isdigit`` also takes "²" and "①", which ``int`` then refuses with a traceback.)"""
    text = text.strip()
    if not (text.isascii() and text.isdecimal()):
        raise InvalidInput(f"A launch's weight must be a whole number of at least 1, not {text!r}.")
    return check_weight(int(text))


@dataclass(frozen=True, slots=True)
class LaunchVariant:
    """One row of the mix: a launch and its weight (a positive whole number)."""

    weight: int
    path: str = ""
    query: str = ""
    scene: int | None = None
    version: str = ""

    def __post_init__(self) -> None:
        check_weight(self.weight)
        object.__setattr__(self, "scene", parse_scene(self.scene))

    def launch(self) -> Launch:
        return Launch(path=self.path, query=self.query, scene=self.scene, version=self.version)


@dataclass(frozen=True, slots=True)
class LaunchMix:
    """Weighted launches; :meth:`pick` gives user *i* its launch, the same every time."""

    variants: tuple[LaunchVariant, ...]
    #: Mixed into the hash, so two mixes with the same weights need not pick alike.
    seed: str = "launch-mix"
    _cumulative: tuple[int, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        variants = tuple(self.variants)
        if not variants:
            raise InvalidInput("A launch mix needs at least one launch.")
        object.__setattr__(self, "variants", variants)
        cumulative = tuple(accumulate(v.weight for v in variants))
        if cumulative[-1] > MAX_TOTAL_WEIGHT:
            raise InvalidInput(f"The launch mix weights add up to {cumulative[-1]:,}; keep the total at most "
                               f"{MAX_TOTAL_WEIGHT:,}.")
        object.__setattr__(self, "_cumulative", cumulative)

    @property
    def total_weight(self) -> int:
        return self._cumulative[-1]

    def index_of(self, user_index: int) -> int:
        """Which variant user ``user_index`` gets: blake2b(seed:index) into the total weight."""
        digest = hashlib.blake2b(f"{self.seed}:{user_index}".encode(), digest_size=8).digest()
        bucket = int.from_bytes(digest, "big") % self.total_weight
        return bisect_right(self._cumulative, bucket)

    def pick(self, user_index: int) -> LaunchVariant:
        return self.variants[self.index_of(user_index)]

    @classmethod
    def single(cls, launch: Launch) -> LaunchMix:
        """Every user launches the same way."""
        return cls((LaunchVariant(1, launch.path, launch.query, launch.scene, launch.version),))

    @classmethod
    def default(cls) -> LaunchMix:
        """The launch a traffic run (and its Locust export) makes when given none."""
        return cls.single(DEFAULT_LAUNCH)

    @classmethod
    def parse_scene_mix(cls, text: str, base: Launch | None = None) -> LaunchMix:
        """``1001:70,1047:30``: scenes and weights; path, query and version come from ``base``."""
        base = base or Launch()
        variants = []
        for part in filter(None, (p.strip() for p in text.split(","))):
            scene, sep, weight = part.partition(":")
            if not sep or not weight.strip().isascii() or not weight.strip().isdecimal():
                raise InvalidInput(f"The scene mix entry {part!r} is not SCENE:WEIGHT, e.g. 1047:30.")
            variants.append(LaunchVariant(parse_weight(weight), base.path, base.query, parse_scene(scene.strip()),
                                          base.version))
        return cls(tuple(variants))

    @classmethod
    def loads_csv(cls, text: str, source: str = "The launch mix") -> LaunchMix:
        """A CSV table with the header ``weight,path,query,scene,version`` (only weight is required)."""
        reader = csv.DictReader(io.StringIO(text))
        header = [h.strip() for h in (reader.fieldnames or [])]
        if "weight" not in header or set(header) - set(COLUMNS):
            raise InvalidInput(f"{source} must start with the header line {','.join(COLUMNS)} "
                               f"(weight is required), not {','.join(header) or 'nothing'}.")
        variants = []
        for row in reader:
            line = reader.line_num
            values = {(k or "").strip(): (v or "") for k, v in row.items()}
            try:
                variants.append(LaunchVariant(parse_weight(values.get("weight", "")), values.get("path", "").strip(),
                                              values.get("query", ""), parse_scene(values.get("scene", "")),
                                              values.get("version", "").strip()))
            except InvalidInput as exc:
                raise InvalidInput(f"{source}, line {line}: {exc}") from None
        return cls(tuple(variants))

    @classmethod
    def load(cls, path: Path | str) -> LaunchMix:
        path = Path(path)
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise InvalidInput(f"Cannot read the launch mix {path}: {exc}.") from None
        return cls.loads_csv(text, f"The launch mix {path}")

    def to_json(self) -> list[dict[str, object]]:
        return [{"weight": v.weight, "path": v.path, "query": v.query, "scene": v.scene, "version": v.version}
                for v in self.variants]
