"""`import kbc_validate` must not pay for pydantic or holidays before they are needed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


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


def test_reading_a_csv_file_loads_no_pain001_json_or_preflight_module() -> None:
    """pain.001's reader (about 20 ms of imports) is imported when first asked for, not by `import kbc_validate`
    nor by a run over a CSV file; `from kbc_validate import validate_pain001` still gives it."""
    example = Path(__file__).resolve().parent.parent / "examples" / "payments.csv"
    code = (
        "from kbc_validate.cli import main; "
        f"main(['-q', '--today', '2026-11-24', '--format', 'json', '-o', '/dev/null', {str(example)!r}])"
    )
    loaded = _loaded_after(code)
    assert "kbc_validate.pain001" not in loaded
    assert "kbc_validate.pain001" in _loaded_after("from kbc_validate import validate_pain001")
    # Nor the JSON readers (about 10 ms), nor the 401/403 preflight (about 8 ms), which their names still give.
    assert not {"kbc_validate.files.json_input", "kbc_validate.preflight.access_token"} & loaded
    assert "kbc_validate.preflight.certificate" in _loaded_after("from kbc_validate import check_client_certificate")
    assert "kbc_validate.files.json_input" in _loaded_after(
        "from kbc_validate.files.inputs import recognise_service; recognise_service({})")
