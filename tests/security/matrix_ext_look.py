"""Matrix rows of task G (look and feel): the receipt after a worry reported without an
account. /zorg-melden itself (everyone) is in matrix_ext_signals.py."""

from __future__ import annotations

from tests.security.matrix_rules import Expectation, everyone

MATRIX: dict[tuple[str, str], Expectation] = {
    # The same page after every report without an account: no number, nothing to look up.
    ("signals.received", "GET"): everyone(200),
}
