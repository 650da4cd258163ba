"""KBC's rules on pain.001 documents: each vector one mutation of a valid document, with its reason, asserting the
rule code at its element's path (and line and column for a few), in both versions."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from kbc_validate import Cause, Severity, validate_pain001
from kbc_validate.catalogue import RULES_BY_CODE
from tests.pain001_documents import CREDITOR, DEBTOR, OGM, document, line_of, transaction

TODAY = date(2026, 12, 5)
TX = "PmtInf[0].CdtTrfTxInf[0]"


def found(text: str) -> list[tuple[str, str]]:
    return [(issue.code, issue.path) for issue in validate_pain001(text, today=TODAY).issues]


VECTORS: list[tuple[str, dict[str, Any], list[dict[str, Any]] | None, list[tuple[str, str]]]] = [
    # (reason, document options, transactions, expected (code, path))
    ("the group header counts a transaction that is not there", {"count": "2"}, None,
     [("KBC810", "GrpHdr.NbOfTxs"), ("KBC810", "PmtInf[0].NbOfTxs")]),
    ("the control sum is a cent off", {"control_sum": "125.49"}, None,
     [("KBC811", "GrpHdr.CtrlSum"), ("KBC811", "PmtInf[0].CtrlSum")]),
    ("the control sum equals the amounts written with another number of decimals", {"control_sum": "125.5000"},
     None, []),
    ("a cheque is not a SEPA credit transfer", {"method": "CHK"}, None, [("KBC812", "PmtInf[0].PmtMtd")]),
    ("a service level other than SEPA", {"service_level": "NURG"}, None,
     [("KBC813", "PmtInf[0].PmtTpInf.SvcLvl.Cd")]),
    ("no service level at all: recommended, so a warning", {"service_level": None}, None,
     [("KBC814", "PmtInf[0]")]),
    ("charges borne by the debtor", {"charge_bearer": "DEBT"}, None, [("KBC815", "PmtInf[0].ChrgBr")]),
    ("no charge bearer: optional", {"charge_bearer": None}, None, []),
    ("an execution date in the past", {"execution": "2026-12-04"}, None,
     [("KBC401", "PmtInf[0].ReqdExctnDt")]),
    ("an execution date on a Saturday", {"execution": "2027-01-16"}, None,
     [("KBC402", "PmtInf[0].ReqdExctnDt")]),
    ("Christmas: TARGET2 is closed", {"execution": "2026-12-25"}, None, [("KBC403", "PmtInf[0].ReqdExctnDt")]),
    ("the debtor's account fails mod 97", {"debtor": DEBTOR[:-1] + "2"}, None,
     [("KBC308", "PmtInf[0].DbtrAcct.Id.IBAN")]),
    ("the debtor pays itself", {}, [transaction(iban=DEBTOR)], [("KBC320", f"{TX}.CdtrAcct.Id.IBAN")]),
    ("a zero amount", {}, [transaction(amount="0.00")], [("KBC200", f"{TX}.Amt.InstdAmt")]),
    ("three decimals: the schema allows five, SEPA two", {}, [transaction(amount="12.345")],
     [("KBC202", f"{TX}.Amt.InstdAmt")]),
    ("a billion euro is over the SEPA maximum", {}, [transaction(amount="1000000000.00")],
     [("KBC203", f"{TX}.Amt.InstdAmt")]),
    ("dollars", {}, [transaction(ccy="USD")], [("KBC210", f"{TX}.Amt.InstdAmt.@Ccy")]),
    ("an XSD decimal with a sign and no decimals is an amount like any other", {}, [transaction(amount="+125.")],
     []),
    ("the creditor's account fails its checksum", {}, [transaction(iban=CREDITOR[:-1] + "8")],
     [("KBC308", f"{TX}.CdtrAcct.Id.IBAN")]),
    ("a US account is outside SEPA (and the IBAN registry)", {}, [transaction(iban="US64SVBKUS6S3300958879")],
     [("KBC304", f"{TX}.CdtrAcct.Id.IBAN")]),
    ("a malformed BIC", {}, [transaction(bic="KREDBEB")], [("KBC925", f"{TX}.CdtrAgt.FinInstnId.BIC"),
                                                         ("KBC330", f"{TX}.CdtrAgt.FinInstnId.BIC")]),
    ("a structured communication whose check digits fail", {}, [transaction(ref=OGM[:-2] + "80", issuer="BBA")],
     [("KBC601", f"{TX}.RmtInf.Strd.CdtrRefInf.Ref")]),
    ("a structured communication written with +++ in the XML", {},
     [transaction(ref="+++010/8068/17183+++", issuer="BBA")], [("KBC819", f"{TX}.RmtInf.Strd.CdtrRefInf.Ref")]),
    ("an RF reference whose check digits fail", {}, [transaction(ref="RF19539007547034", issuer="ISO")],
     [("KBC604", f"{TX}.RmtInf.Strd.CdtrRefInf.Ref")]),
    ("a valid RF reference", {}, [transaction(ref="RF18539007547034", issuer="ISO")], []),
    ("an issuer Belgian banks do not know: a warning", {}, [transaction(ref="INV-2026-0413", issuer="ACME")],
     [("KBC818", f"{TX}.RmtInf.Strd.CdtrRefInf.Tp.Issr")]),
    ("a reference type other than SCOR", {}, [transaction(ref=OGM, issuer="BBA", kind="DISP")],
     [("KBC817", f"{TX}.RmtInf.Strd.CdtrRefInf.Tp.CdOrPrtry.Cd")]),
    ("a decorated OGM as the whole unstructured text", {}, [transaction(ustrd="+++010/8068/17180+++")],
     [("KBC601", f"{TX}.RmtInf.Ustrd")]),
    ("unstructured text over 140 characters", {}, [transaction(ustrd="x" * 141)],
     [("KBC925", f"{TX}.RmtInf.Ustrd"), ("KBC701", f"{TX}.RmtInf.Ustrd")]),
    ("a creditor name over 70 characters: the .03 schema says 140", {}, [transaction(name="N" * 71)],
     [("KBC701", f"{TX}.Cdtr.Nm")]),
    ("a letter banks transliterate: a warning", {}, [transaction(name="Café Zeeman")],
     [("KBC704", f"{TX}.Cdtr.Nm")]),
    ("an emoji in a name", {}, [transaction(name="Zeeman \U0001f600")], [("KBC703", f"{TX}.Cdtr.Nm")]),
    ("an end-to-end identification outside the SEPA set", {}, [transaction(e2e="INV_1")],
     [("KBC702", f"{TX}.PmtId.EndToEndId")]),
    ("an identifier ending in a slash", {}, [transaction(e2e="INV-1/")], [("KBC824", f"{TX}.PmtId.EndToEndId")]),
    ("no creditor: the .03 schema allows it, SEPA does not", {}, [transaction(name=None)],
     [("KBC923", f"{TX}.Cdtr")]),
    ("no creditor account: the .03 schema allows it, SEPA does not", {}, [transaction(iban=None)],
     [("KBC923", f"{TX}.CdtrAcct")]),
    ("an end-to-end identification used twice: a warning", {},
     [transaction(e2e="INV-1"), transaction(e2e="INV-1", iban="BE48735500000127")],
     [("KBC907", "PmtInf[0].CdtTrfTxInf[1].PmtId.EndToEndId")]),
    ("the same payment twice: a warning", {},
     [transaction(e2e="INV-1"), transaction(e2e="INV-2")], [("KBC908", "PmtInf[0].CdtTrfTxInf[1]")]),
    ("three address lines: the schema allows seven, SEPA two", {},
     [transaction(extra="")], []),
]


@pytest.mark.parametrize("version", ["03", "09"])
@pytest.mark.parametrize(("reason", "options", "transactions", "expected"), VECTORS, ids=[v[0] for v in VECTORS])
def test_rule(reason: str, options: dict[str, Any], transactions: list[dict[str, Any]] | None,
              expected: list[tuple[str, str]], version: str) -> None:
    text = document(transactions, version=version, **options)
    if version == "09":
        expected = [(code, path.replace(".BIC", ".BICFI").replace("ReqdExctnDt", "ReqdExctnDt.Dt"))
                    for code, path in expected]
        if reason.startswith("a creditor name over 70"):
            expected = [("KBC701", f"{TX}.Cdtr.Nm")]
    assert sorted(found(text)) == sorted(expected), reason


def test_every_new_code_is_in_the_catalogue_with_a_cause_and_a_severity() -> None:
    for number in [*range(810, 825), *range(920, 929)]:
        rule = RULES_BY_CODE[f"KBC{number}"]
        assert isinstance(rule.cause, Cause)
        assert isinstance(rule.severity, Severity)


def test_findings_carry_the_line_and_column_of_their_element() -> None:
    text = document([transaction(), transaction(e2e="INV-2", iban=CREDITOR[:-1] + "8", amount="0")])
    report = validate_pain001(text, today=TODAY)
    iban = next(issue for issue in report.issues if issue.code == "KBC308")
    assert (iban.line, iban.column) == line_of(text, "<IBAN>", 3)
    amount = next(issue for issue in report.issues if issue.code == "KBC200")
    assert (amount.line, amount.column) == line_of(text, "<InstdAmt", 2)
    assert amount.loc == ("PmtInf", 0, "CdtTrfTxInf", 1, "Amt", "InstdAmt")


def test_block_level_findings_are_placed_at_their_elements() -> None:
    text = document(count="7")
    places = sorted((issue.line, issue.column) for issue in validate_pain001(text, today=TODAY).issues)
    assert places == [line_of(text, "<NbOfTxs>", 1), line_of(text, "<NbOfTxs>", 2)]


def test_address_lines() -> None:
    three = ("        <Cdtr>\n          <Nm>X</Nm>\n          <PstlAdr>\n" + "".join(
        f"            <AdrLine>Line {n}</AdrLine>\n" for n in range(3)) + "          </PstlAdr>\n        </Cdtr>\n")
    text = document([transaction(name=None, extra="")]).replace("      </CdtTrfTxInf>",
                                                                 "      </CdtTrfTxInf>", 1)
    # The creditor with three address lines goes where the builder puts the creditor.
    text = text.replace("        <CdtrAcct>", three + "        <CdtrAcct>", 1)
    codes = [issue.code for issue in validate_pain001(text, today=TODAY).issues]
    assert codes.count("KBC822") == 1, "three AdrLine: SEPA allows two"
    assert codes.count("KBC823") == 1, "AdrLine only, without TwnNm and Ctry, for an execution after 2026-11-15"


def test_the_faulty_example_reports_every_planted_fault() -> None:
    report = validate_pain001(Path("examples/faulty-bulk.xml"), today=TODAY)
    assert sorted(report.codes) == sorted(
        ["KBC810", "KBC811", "KBC811", "KBC402", "KBC923", "KBC601", "KBC202", "KBC704", "KBC320"])
    assert validate_pain001(Path("examples/bulk-payment.xml"), today=TODAY).ok


def test_validate_pain001_reads_bytes_text_paths_and_files_alike(tmp_path: Path) -> None:
    text = document([transaction(amount="0")])
    path = tmp_path / "bulk.xml"
    path.write_text(text, encoding="utf-8")
    expected = validate_pain001(text, today=TODAY)
    assert expected.codes == ("KBC200",)
    assert validate_pain001(text.encode(), today=TODAY) == expected
    assert validate_pain001(path, today=TODAY) == expected
    with path.open("rb") as stream:
        assert validate_pain001(stream, today=TODAY) == expected
        assert not stream.closed, "a caller's file is the caller's to close"


@pytest.mark.parametrize(("reason", "change", "expected"), [
    ("two unstructured remittances: SEPA allows one",
     ("<Ustrd>Factuur 2026-0413</Ustrd>", "<Ustrd>Factuur 2026-0413</Ustrd><Ustrd>and more</Ustrd>"),
     [("KBC816", f"{TX}.RmtInf.Ustrd[1]")]),
    ("an account given by another identifier than an IBAN",
     ("<Id>\n            <IBAN>BE71096123456769</IBAN>\n          </Id>",
      "<Id>\n            <Othr><Id>12345</Id></Othr>\n          </Id>"), [("KBC820", f"{TX}.CdtrAcct.Id.Othr")]),
    ("a currency code of four letters: the schema's attribute pattern", ('Ccy="EUR"', 'Ccy="EURO"'),
     [("KBC926", f"{TX}.Amt.InstdAmt"), ("KBC211", f"{TX}.Amt.InstdAmt.@Ccy")]),
])
def test_elements_beyond_the_usual_transaction(reason: str, change: tuple[str, str],
                                              expected: list[tuple[str, str]]) -> None:
    assert sorted(found(document().replace(*change, 1))) == sorted(expected), reason


def test_structured_remittance_with_a_referred_document_warns() -> None:
    text = document([transaction(ref=OGM, issuer="BBA")]).replace(
        "<Strd>", "<Strd>\n            <RfrdDocInf><Nb>INV-1</Nb></RfrdDocInf>", 1)
    assert found(text) == [("KBC821", f"{TX}.RmtInf.Strd.RfrdDocInf")]
