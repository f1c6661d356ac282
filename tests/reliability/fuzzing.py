"""What the fuzz targets share: one property, two tests, and hostile text.

Each target is one property and two tests built from it by :func:`fuzz_pair`: ``test_x`` runs
in every run with the loaded Hypothesis profile ("ci": 100 examples, tests/conftest.py), and
``test_x_fuzz``, marked ``fuzz`` and deselected by default, runs with the "fuzz" profile
(10,000 examples):

    HYPOTHESIS_PROFILE=fuzz python -m pytest -p no:cacheprovider -m fuzz tests/reliability \\
        --hypothesis-show-statistics
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st


def fuzz_pair(prop: Callable[..., None], *, suppress: Sequence[HealthCheck] = (),
              **strategies: st.SearchStrategy[Any]) -> tuple[Any, Any]:
    """(the test at the loaded profile, the ``fuzz``-marked test at 10,000 examples) of ``prop``.

    ``suppress``: health checks that do not apply (a store fixture shared by every example)."""
    default = settings(settings.default, suppress_health_check=[*settings.default.suppress_health_check, *suppress])
    fuzz = settings.get_profile("fuzz")
    fuzz = settings(fuzz, suppress_health_check=[*fuzz.suppress_health_check, *suppress])
    long_run = pytest.mark.timeout(3600)  # 10,000 examples outlast the default run's 120 s per test
    return (settings(default)(given(**strategies)(prop)),
            long_run(pytest.mark.fuzz(settings(fuzz)(given(**strategies)(prop)))))


#: Characters that break naive code: separators and escapes of URLs, JSON and HTML, controls,
#: a lone surrogate (what bytes that are not UTF-8 become), wide and combining characters.
TRICKY = ["&", "=", "%", "%2", "%zz", "+", "#", "?", "/", "\\", '"', "'", "<", ">", ";", " ", "\t", "\r\n", "\x00",
          "\x7f", "\udcff", "\ud800", "中", "😀", "é", "e\u0301", "\u202e", "\ufeff", "ǅ", "ß", "İ"]

_VALID = [t for t in TRICKY if not any(0xD800 <= ord(c) <= 0xDFFF for c in t)]
#: Any text a user can type: every character but lone surrogates, separators and escapes often.
tricky_text = st.lists(st.one_of(st.characters(), st.sampled_from(_VALID)), max_size=30).map("".join)
nonempty_tricky_text = st.lists(st.one_of(st.characters(), st.sampled_from(_VALID)), min_size=1, max_size=30).map(
    "".join)
#: Also lone surrogates: what bytes that are not UTF-8 turn into.
hostile_text = st.lists(st.one_of(st.characters(exclude_categories=()), st.sampled_from(TRICKY)),
                        max_size=30).map("".join)


def mostly(valid: st.SearchStrategy[Any], hostile: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """``valid`` nine times in ten, so that most examples get past validation."""
    return st.integers(0, 9).flatmap(lambda n: hostile if n == 9 else valid)
