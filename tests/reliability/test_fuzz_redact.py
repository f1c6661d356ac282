"""Fuzzing the redaction (issue 11 item 2): a secret of any text, written back in any encoding
inside any text, never survives; text without it is left as it was."""

from __future__ import annotations

from hypothesis import strategies as st

from tests.reliability.fuzzing import fuzz_pair, tricky_text
from tests.support.secrets import encodings, leaks
from workbench.core.redact import SHORT_SECRET_CHARS, Redactor

#: Replace with a character no secret or encoding holds, so a leak cannot be made of the mask.
HIDE = "\x00"
no_nul = st.characters(exclude_characters=HIDE, exclude_categories=["Cs"])  # tokens are valid text (P9)
secrets = st.text(alphabet=no_nul, min_size=SHORT_SECRET_CHARS, max_size=60)
surroundings = tricky_text.map(lambda t: t.replace(HIDE, ""))


def echo_property(secret: str, before: str, after: str, which: int) -> None:
    variants = encodings(secret)
    text = before + variants[which % len(variants)] + after
    shown = Redactor([secret], hide=lambda s: HIDE).text(text)
    assert leaks(shown, secret) == []
    assert HIDE in shown


def untouched_property(secret: str, text: str) -> None:
    """Text that holds no secret and no secret-named parameter comes back unchanged."""
    if leaks(text, secret) or "=" in text or "@" in text or '"' in text or "%3" in text.upper():
        return
    assert Redactor([secret], hide=lambda s: HIDE).text(text) == text


test_an_echoed_secret_never_survives, test_echo_fuzz = fuzz_pair(
    echo_property, secret=secrets, before=surroundings, after=surroundings, which=st.integers(0, 20))
test_text_without_secrets_is_left_alone, test_untouched_fuzz = fuzz_pair(
    untouched_property, secret=secrets, text=surroundings)
