"""pain.001 documents as documents: versions, the schema's findings, encodings, and hostile XML (nothing resolved,
nothing fetched, nothing read because a document asks, bounded time and memory)."""

from __future__ import annotations

import hashlib
import resource
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from kbc_validate import validate_pain001
from kbc_validate.pain001 import Pain001Reader
from kbc_validate.pain001.stream import SCHEMA_ERRORS_KEPT
from tests.pain001_documents import CREDITOR, document, line_of, transaction

TODAY = date(2026, 12, 5)
DATA = Path(__file__).resolve().parent.parent / "kbc_validate" / "data" / "pain001"


def codes(text: str | bytes) -> list[str]:
    return list(validate_pain001(text, today=TODAY).codes)


def test_the_shipped_schemas_are_the_official_files_byte_for_byte() -> None:
    expected = {
        "pain.001.001.03.xsd": "ae2bbba02a6be0119a26f4afcb65ced067453cb1b81d38b26bcc569f19eca93e",
        "pain.001.001.09.xsd": "de038b373e47b0077b1832ddd81f4b2f1eb25d35721f62da1e38b7f5a09fda24",
    }
    for name, digest in expected.items():
        assert hashlib.sha256((DATA / name).read_bytes()).hexdigest() == digest, name


@pytest.mark.parametrize(("reason", "text", "expected"), [
    ("the namespace of another message", document().replace("pain.001.001.03", "pain.008.001.02"), ["KBC922"]),
    ("a pain.001 version KBC does not take", document().replace("pain.001.001.03", "pain.001.001.02"), ["KBC922"]),
    ("no namespace at all", document().replace(' xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"', ""),
     ["KBC922"]),
    ("another root element", '<?xml version="1.0"?>\n<Payments/>\n', ["KBC922"]),
    ("not XML", "Creditor;Amount\nBE71096123456769;12,50\n", ["KBC920"]),
    ("an empty document", "", ["KBC920"]),
    ("a truncated document", document()[:-40], ["KBC920"]),
])
def test_documents_that_are_not_pain001(reason: str, text: str, expected: list[str]) -> None:
    assert codes(text) == expected, reason


def test_a_namespace_prefix_is_read_like_a_default_namespace() -> None:
    text = document([transaction(amount="0")]).replace("<", "<p:").replace("<p:/", "</p:").replace(
        "<p:?xml", "<?xml").replace('xmlns="', 'xmlns:p="')
    assert codes(text) == ["KBC200"]


def test_a_syntax_error_is_placed_at_its_line() -> None:
    text = document().replace("<Nm>Zeeman BV</Nm>", "<Nm>Zeeman BV</Nmx>", 1)
    issue = validate_pain001(text, today=TODAY).issues[0]
    assert issue.code == "KBC920"
    assert issue.line == line_of(text, "</Nmx>")[0]


@pytest.mark.parametrize(("reason", "change", "expected"), [
    ("an element the schema does not know, where it stands",
     ("<Cdtr>", "<Bogus/>\n        <Cdtr>"), [("KBC924", "PmtInf[0].CdtTrfTxInf[0].Bogus")]),
    ("a mandatory element missing: the debtor's account (the schema and the rule say it once)",
     ("<DbtrAcct>\n        <Id>\n          <IBAN>BE36734012345681</IBAN>\n        </Id>\n      </DbtrAcct>\n", ""),
     [("KBC923", "PmtInf[0].DbtrAcct")]),
    ("an IBAN in lower case: the schema's pattern and the IBAN rule", (CREDITOR, CREDITOR.lower()),
     [("KBC925", "PmtInf[0].CdtTrfTxInf[0].CdtrAcct.Id.IBAN"),
      ("KBC302", "PmtInf[0].CdtTrfTxInf[0].CdtrAcct.Id.IBAN")]),
    ("a date that is no date", ("2027-01-15", "2027-02-30"),
     [("KBC925", "PmtInf[0].ReqdExctnDt"), ("KBC400", "PmtInf[0].ReqdExctnDt")]),
    ("an amount without its currency", (' Ccy="EUR"', ""),
     [("KBC923", "PmtInf[0].CdtTrfTxInf[0].Amt.InstdAmt")]),
])
def test_the_schema_findings(reason: str, change: tuple[str, str], expected: list[tuple[str, str]]) -> None:
    text = document().replace(*change, 1)
    found = [(issue.code, issue.path) for issue in validate_pain001(text, today=TODAY).issues]
    assert sorted(found) == sorted(expected), reason


def test_schema_findings_are_worded_for_a_person_at_their_elements_line() -> None:
    text = document().replace("<Cdtr>", "<Bogus/>\n        <Cdtr>", 1)
    issue = validate_pain001(text, today=TODAY).issues[0]
    assert (issue.line, issue.column) == line_of(text, "<Bogus/>")
    assert "{urn:" not in issue.message
    assert "Bogus" in issue.message


def test_the_rules_still_run_after_the_schema_gave_up_on_an_element() -> None:
    # libxml2 stops checking a transaction's children after its first content-model error.
    text = document([transaction(amount="0", iban=CREDITOR[:-1] + "8")]).replace("<Cdtr>", "<Bogus/>\n<Cdtr>", 1)
    assert sorted(codes(text)) == ["KBC200", "KBC308", "KBC924"]


def test_both_versions_and_their_date_forms() -> None:
    assert codes(document(version="09")) == []
    date_time = document(version="09").replace("<Dt>2027-01-15</Dt>", "<DtTm>2027-01-16T09:00:00</DtTm>")
    assert codes(date_time) == ["KBC402"]


def test_encodings() -> None:
    text = document([transaction(name="Café Zeeman")])
    assert codes(text.encode("utf-16")) == ["KBC927", "KBC704"]
    latin = text.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"').encode("latin-1")
    assert codes(latin) == ["KBC927", "KBC704"]
    assert codes(b"\xef\xbb\xbf" + text.encode()) == ["KBC704"]


def test_a_file_repeating_one_schema_mistake_is_capped_and_still_checked_by_the_rules(tmp_path: Path) -> None:
    transactions = [transaction(e2e=f"INV-{n}", iban="be71096123456769") for n in range(SCHEMA_ERRORS_KEPT + 50)]
    transactions.append(transaction(e2e="LAST", amount="0"))
    path = tmp_path / "bulk.xml"
    path.write_text(document(transactions), encoding="utf-8")
    found = codes_of(path)
    assert found.count("KBC925") == SCHEMA_ERRORS_KEPT
    assert found.count("KBC928") == 1
    assert found.count("KBC302") == SCHEMA_ERRORS_KEPT + 50, "every transaction is still checked by the rules"
    assert "KBC200" in found


def codes_of(document_: Path | bytes) -> list[str]:
    return [issue.code for issue in Pain001Reader(document_, today=TODAY).findings()]


# -- hostile documents --------------------------------------------------------------------------------------------


def test_an_external_entity_is_never_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE", encoding="utf-8")
    text = document([transaction(ustrd="&xxe;")]).replace(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
        f'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE Document [<!ENTITY xxe SYSTEM "file://{secret}">]>\n')
    report = validate_pain001(text, today=TODAY)
    assert report.codes == ("KBC921",)
    assert "TOP-SECRET" not in repr(report)


def test_an_external_dtd_is_refused_before_parsing() -> None:
    text = document().replace('<?xml version="1.0" encoding="UTF-8"?>\n',
                              '<?xml version="1.0"?>\n<!DOCTYPE Document SYSTEM "http://example.invalid/x.dtd">\n')
    issue = validate_pain001(text, today=TODAY).issues[0]
    assert (issue.code, issue.line, issue.column) == ("KBC921", 2, 1)


def test_billion_laughs_ends_at_once() -> None:
    entities = '<!ENTITY l0 "ha">' + "".join(f'<!ENTITY l{n} "{"&l" + str(n - 1) + ";" * 1}' * 1 + '">'
                                                for n in range(1, 2))
    lol = "".join(f'<!ENTITY l{n} "{("&l" + str(n - 1) + ";") * 10}">' for n in range(1, 10))
    text = f'<?xml version="1.0"?>\n<!DOCTYPE Document [{entities}{lol}]>\n<Document>&l9;</Document>\n'
    start = time.perf_counter()
    assert codes(text) == ["KBC921"]
    assert time.perf_counter() - start < 1


def test_a_huge_text_node_and_deep_nesting_end_in_a_finding(tmp_path: Path) -> None:
    huge = document([transaction(ustrd="x" * (11 * 1024 * 1024))])
    assert codes(huge)[-1] == "KBC920"
    deep = document().replace("<InitgPty>", "<InitgPty>" + "<a>" * 5000 + "</a>" * 5000)
    assert codes(deep)[-1] == "KBC920"


def test_arbitrary_garbage_never_raises() -> None:
    for data in (b"\x00" * 100, b"<", b"<?xml", b"\xff\xfe<\x00", b"<Document xmlns='", b"]]>", "<\udc00>"):
        validate_pain001(data, today=TODAY)  # a finding, never an exception


def test_memory_stays_flat_on_a_large_document(tmp_path: Path) -> None:
    """A child process validates 20,000 transactions (10 MB) under a 400 MiB address-space limit."""
    path = tmp_path / "large.xml"
    path.write_text(document([transaction(e2e=f"INV-{n}", amount=f"{n % 900 + 1}.00") for n in range(20_000)]),
                    encoding="utf-8")
    code = (
        "import sys\n"
        "from datetime import date\nfrom pathlib import Path\n"
        "from kbc_validate.pain001 import Pain001Reader\n"
        "reader = Pain001Reader(Path(sys.argv[1]), today=date(2026, 12, 5))\n"
        "count = sum(1 for _ in reader.findings())\n"
        # The process's own high-water mark: ru_maxrss carries the parent's (pytest's) peak across fork and exec.
        "peak = next(int(line.split()[1]) for line in open('/proc/self/status') if line.startswith('VmHWM:'))\n"
        "print(reader.transactions, count, peak // 1024)\n"
    )
    limit = 1 << 30

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    done = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=False,
                          preexec_fn=cap, cwd=Path(__file__).resolve().parent.parent)
    assert done.returncode == 0, done.stderr[-2000:]
    transactions, _, peak_mib = (int(part) for part in done.stdout.split())
    assert transactions == 20_000
    assert peak_mib < 120


# The Berlin Group specification's own example (psd2-api 1.3.4, components/examples/pain.001.001_SCT_singleTransaction),
# as published, mistakes included: a misspelt Prptry, no DbtrAgt (mandatory in .03), a creditor IBAN written with a
# leading space, and an execution date of 2017.
BERLIN_GROUP_EXAMPLE = """\
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.03">
  <CstmrCdtTrfInitn>
    <GrpHdr>
      <MsgId>MIPI-123456789RI-123456789</MsgId>
      <CreDtTm>2017-02-14T20:23:34.000Z</CreDtTm>
      <NbOfTxs>1</NbOfTxs>
      <CtrlSum>123</CtrlSum>
      <InitgPty>
        <Nm>PaymentInitiator</Nm>
        <Id><OrgId><Othr><Id>DE10000000012</Id>
          <SchmeNm><Prptry>PISP</Prptry></SchmeNm></Othr></OrgId></Id>
      </InitgPty>
    </GrpHdr>
    <PmtInf>
      <PmtInfId>BIPI-123456789RI-123456789</PmtInfId>
      <PmtMtd>TRF</PmtMtd>
      <NbOfTxs>1</NbOfTxs>
      <CtrlSum>123</CtrlSum>
      <PmtTpInf><SvcLvl><Cd>SEPA</Cd></SvcLvl></PmtTpInf>
      <ReqdExctnDt>2017-02-15</ReqdExctnDt>
      <Dbtr><Nm>PSU Name</Nm></Dbtr>
      <DbtrAcct><Id><IBAN>DE87200500001234567890</IBAN></Id></DbtrAcct>
      <ChrgBr>SLEV</ChrgBr>
      <CdtTrfTxInf>
        <PmtId><EndToEndId>RI-123456789</EndToEndId></PmtId>
        <Amt><InstdAmt Ccy="EUR">123</InstdAmt></Amt>
        <Cdtr><Nm>Merchant123</Nm></Cdtr>
        <CdtrAcct><Id><IBAN> DE23100120020123456789</IBAN></Id></CdtrAcct>
        <RmtInf><Ustrd>Ref Number Merchant-123456</Ustrd></RmtInf>
      </CdtTrfTxInf>
    </PmtInf>
  </CstmrCdtTrfInitn>
</Document>
"""


def test_the_berlin_group_example_and_its_mistakes() -> None:
    report = validate_pain001(BERLIN_GROUP_EXAMPLE, today=TODAY)
    assert [(issue.code, issue.path, issue.line) for issue in report.issues] == [
        ("KBC924", "GrpHdr.InitgPty.Id.OrgId.Othr.SchmeNm.Prptry", 11),  # Prtry misspelt
        ("KBC401", "PmtInf[0].ReqdExctnDt", 20),
        ("KBC923", "PmtInf[0].DbtrAgt", 23),  # expected before ChrgBr, on ChrgBr's line
        # libxml2 checks nothing more in PmtInf after DbtrAgt is missed; the rules still read the creditor's IBAN.
        ("KBC302", "PmtInf[0].CdtTrfTxInf[0].CdtrAcct.Id.IBAN", 28),
        ("KBC308", "PmtInf[0].CdtTrfTxInf[0].CdtrAcct.Id.IBAN", 28),
    ]


def test_the_order_of_findings_does_not_depend_on_how_the_document_is_read(tmp_path: Path) -> None:
    """A file is read in large pieces, standard input a transaction a piece: the same findings in the same order."""
    path = tmp_path / "bulk.xml"
    text = document([transaction(e2e=f"INV-{n}", amount="0" if n % 3 else "1.00") for n in range(40)],
                    count="41", control_sum="1")
    path.write_text(text, encoding="utf-8")

    class Pipe:  # a stream that cannot seek, as standard input
        def __init__(self, data: bytes) -> None:
            self.data = data

        def read(self, size: int = -1) -> bytes:
            chunk, self.data = self.data[:size], self.data[size:]
            return chunk

        def seekable(self) -> bool:
            return False

    from_file = list(Pain001Reader(path, today=TODAY).findings())
    from_pipe = list(Pain001Reader(Pipe(text.encode()), today=TODAY).findings())
    assert [(i.code, i.line, i.column) for i in from_file] == [(i.code, i.line, i.column) for i in from_pipe]
    assert {"KBC200", "KBC810", "KBC811"} <= {issue.code for issue in from_file}


def test_a_root_start_tag_cut_by_the_first_block_is_read_whole() -> None:
    """A prolog of comments as long as a block: the root's start tag (with its namespace) is read across blocks."""
    from kbc_validate.pain001.source import BLOCK

    text = document()
    cut = text.index("<Document") + 20
    padded = text[:cut - 20] + "<!--" + "x" * (BLOCK - cut - 4) + "-->" + text[cut - 20:]
    assert codes(padded) == []


@pytest.mark.parametrize(("reason", "text", "said"), [
    ("nesting past libxml2's depth limit", document().replace("<InitgPty>", "<InitgPty>" + "<a>" * 300),
     "nested more than 256 deep"),
    ("a text node past libxml2's size limit", document([transaction(ustrd="x" * (11 * 1024 * 1024))]),
     "longer than 10,000,000 characters"),  # said with the other possible cause: libxml2 says nothing here
])
def test_libxml2_limits_are_said_without_its_parser_options(reason: str, text: str, said: str) -> None:
    issue = validate_pain001(text, today=TODAY).issues[-1]
    assert issue.code == "KBC920", reason
    assert said in issue.message
    assert "XML_PARSE_HUGE" not in issue.message
