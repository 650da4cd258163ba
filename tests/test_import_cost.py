"""`import kbc_validate` must not pay for pydantic or holidays before they are needed."""

from __future__ import annotations

import subprocess
import sys


def _loaded_after(code: str) -> set[str]:
    probe = f"import sys; {code}; print(' '.join(sorted(sys.modules)))"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return set(result.stdout.split())


def test_import_loads_neither_pydantic_nor_holidays_nor_stdnum() -> None:
    loaded = _loaded_after("import kbc_validate")
    assert not {"pydantic", "holidays", "stdnum"} & loaded


def test_validating_a_body_without_dates_loads_no_holidays() -> None:
    code = (
        "from datetime import date; from kbc_validate import validate_payment; "
        "validate_payment({'creditorName': 'X'}, today=date(2026, 11, 24))"
    )
    assert not {"pydantic", "holidays"} & _loaded_after(code)
