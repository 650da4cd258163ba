"""Belgian structured communication (OGM/VCS), ISO 11649 RF references and BIC, against python-stdnum."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum import bic as stdnum_bic
from stdnum import iso11649 as stdnum_iso11649
from stdnum.be import ogm_vcs as stdnum_ogm

from kbc_validate.identifiers import bic, iso11649, ogm_vcs
from tests.bodies import assert_identifier_verdict
from tests.strategies import valid_ogms, valid_rf_references


@pytest.mark.parametrize(
    ("text", "code"),
    [
        pytest.param("+++010/8068/17183+++", None, id="decorated with plus signs"),
        pytest.param("***010/8068/17183***", None, id="decorated with asterisks"),
        pytest.param("010806817183", None, id="twelve digits"),
        pytest.param("+++123/4567/89002+++", None, id="another valid one"),
        pytest.param("000/0000/09797", None, id="remainder 0: check digits 97"),
        pytest.param("+++010/8068/17180+++", "KBC601", id="wrong check digits"),
        pytest.param("000000000000", "KBC601", id="check digits 00 are never valid"),
        pytest.param("0108068171", "KBC602", id="ten digits"),
        pytest.param("01080681718A", "KBC602", id="a letter"),
        pytest.param("٠١٠٨٠٦٨١٧١٨٣", "KBC602", id="Arabic-Indic digits"),
    ],
)
def test_ogm_validate(text: str, code: str | None) -> None:
    assert_identifier_verdict(ogm_vcs, text, code)


def test_ogm_forms() -> None:
    assert ogm_vcs.format("010806817183") == "+++010/8068/17183+++"
    assert ogm_vcs.is_decorated("+++010/8068/17183+++")
    assert ogm_vcs.is_decorated("*** 010/8068/17183 ***")
    assert not ogm_vcs.is_decorated("+++010/8068/17183***")
    assert ogm_vcs.looks_like("010806817183")
    assert not ogm_vcs.looks_like("Invoice 010806817183")


ogm_candidates = st.one_of(
    valid_ogms(),
    st.from_regex(r"[0-9]{12}", fullmatch=True),
    valid_ogms().map(ogm_vcs.format),
    st.from_regex(r"\+\+\+[0-9]{3}/[0-9]{4}/[0-9]{5}\+\+\+", fullmatch=True),
    st.from_regex(r"[0-9]{10,13}", fullmatch=True),
)


@settings(max_examples=1000)
@given(text=ogm_candidates)
def test_ogm_verdict_equals_stdnum(text: str) -> None:
    assert ogm_vcs.is_valid(text) == stdnum_ogm.is_valid(text)


@settings(max_examples=300)
@given(number=valid_ogms())
def test_asterisk_form_is_accepted_where_stdnum_needs_pre_cleaning(number: str) -> None:
    asterisks = ogm_vcs.format(number).replace("+", "*")
    assert ogm_vcs.is_valid(asterisks)
    assert stdnum_ogm.is_valid(asterisks.replace("*", ""))


@settings(max_examples=300)
@given(number=valid_ogms())
def test_decorated_fast_check_equals_validate(number: str) -> None:
    decorated = ogm_vcs.format(number)
    wrong = decorated[:-5] + f"{(int(decorated[-5:-3]) + 1) % 100:02d}" + "+++"
    assert ogm_vcs.is_valid_decorated(decorated)
    assert ogm_vcs.is_valid_decorated(wrong) == ogm_vcs.is_valid(wrong)


@pytest.mark.parametrize(
    ("reference", "code"),
    [
        pytest.param("RF18539007547034", None, id="valid"),
        pytest.param("RF18 5390 0754 7034", None, id="paper form"),
        pytest.param("RF712348231", None, id="short"),
        pytest.param("RF17539007547034", "KBC604", id="wrong check digits"),
        pytest.param("RF1", "KBC605", id="too short"),
        pytest.param("RF18" + "1" * 22, "KBC605", id="more than 21 characters after the check digits"),
        pytest.param("XX18539007547034", "KBC605", id="not RF"),
        pytest.param("RFAB539007547034", "KBC605", id="letters as check digits"),
    ],
)
def test_rf_validate(reference: str, code: str | None) -> None:
    assert_identifier_verdict(iso11649, reference, code)


rf_candidates = st.one_of(
    valid_rf_references(),
    st.from_regex(r"RF[0-9]{2}[A-Z0-9]{1,21}", fullmatch=True),
    valid_rf_references().map(lambda r: r[:-1] + ("0" if r[-1] != "0" else "1")),
)


@settings(max_examples=1000)
@given(reference=rf_candidates)
def test_rf_verdict_equals_stdnum(reference: str) -> None:
    # Deliberate difference: none within the RF shape; stdnum also lets letters stand for check digits.
    assert iso11649.is_valid(reference) == stdnum_iso11649.is_valid(reference)
    assert iso11649.is_valid_electronic(reference) == iso11649.is_valid(reference)


@pytest.mark.parametrize(
    ("code", "valid"),
    [
        pytest.param("KREDBEBB", True, id="KBC"),
        pytest.param("KREDBEBBXXX", True, id="with branch"),
        pytest.param("GEBABEBB", True, id="BNP Paribas Fortis"),
        pytest.param("KREDBE1B", False, id="location 1: passive participant"),
        pytest.param("KREDBE0B", False, id="location 0: test BIC"),
        pytest.param("KREDBEBO", False, id="location ending in O"),
        pytest.param("KREDBEB", False, id="7 characters"),
    ],
)
def test_bic(code: str, valid: bool) -> None:
    assert bic.is_valid(code) is valid


@settings(max_examples=500)
@given(code=st.from_regex(r"[A-Z]{4}(BE|NL|DE|FR|LU)[A-Z2-9][A-NP-Z0-9]([A-Z0-9]{3})?", fullmatch=True))
def test_bic_with_a_real_country_is_valid_for_both(code: str) -> None:
    assert bic.is_valid(code)
    assert stdnum_bic.is_valid(code)


@settings(max_examples=300)
@given(code=st.from_regex(r"[A-Z]{4}BE[01][A-Z0-9]", fullmatch=True))
def test_bic_location_0_and_1_are_refused_where_stdnum_accepts(code: str) -> None:
    # Deliberate difference: Berlin Group's bicfi pattern refuses test (0) and passive (1) locations.
    assert not bic.is_valid(code)
    assert stdnum_bic.is_valid(code)
