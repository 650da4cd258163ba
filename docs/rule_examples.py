"""For every rule of the catalogue, an input that triggers it and one that does not, as its page shows them.

An example is what a reader would hand kbc-validate: a JSON body (checked as ``kbc-validate --service SERVICE``
checks a ``.json`` file), a file's content (``.json``, ``.csv``), an HTTP request (``validate_request``), or a
Python snippet for the 401/403 preflight checks (it sets ``report``). `findings` runs one through kbc-validate and
returns the lines it reports; ``tests/test_docs.py`` holds every triggering example to its rule and every clean one
to no finding at all, and the rule pages show what `findings` printed when they were generated.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

TODAY = date(2026, 11, 24)  # a Tuesday: the date every example is checked on (`--today 2026-11-24`)
ROOT = Path(__file__).resolve().parent.parent
BODY_KINDS = ("payments", "periodic-payments", "bulk-payments")


@dataclass(frozen=True)
class Example:
    """`kind`: a payment service (a JSON body), ``json``, ``csv`` or ``xml`` (a file: ``kbc-validate`` reads it),
    ``request`` (HTTP: ``validate_request``) or ``python`` (a snippet that sets ``report``)."""

    kind: str
    content: Any  # a body (written as JSON) or the text itself
    note: str = ""  # what the page says before the example: characters it holds that do not show

    @property
    def text(self) -> str:
        if isinstance(self.content, str) and self.kind not in BODY_KINDS:
            return self.content
        return json.dumps(self.content, indent=2, ensure_ascii=False)

    @property
    def file_name(self) -> str:
        names = {"csv": "payments.csv", "xml": "payments.xml", "request": "request.http", "python": "example.py"}
        return names.get(self.kind, "payment.json")

    @property
    def command(self) -> str:
        service = f" --service {self.kind}" if self.kind in BODY_KINDS else ""
        if self.kind == "bulk-payments":  # a JSON bulk body is not a product KBC offers (KBC802): the rule at hand
            service += " --ignore KBC802"
        return f"kbc-validate --today {TODAY.isoformat()}{service} {self.file_name}"


def findings(example: Example) -> list[str]:
    """The lines kbc-validate reports for `example` (text format), without the summary."""
    if example.kind == "request":
        return _lines(_request_report(example.text))
    if example.kind == "python":
        namespace: dict[str, Any] = {}
        with _in_folder(ROOT):
            exec(compile(example.text, "example.py", "exec"), namespace)
        return _lines(namespace["report"])
    return _command_lines(example)


def _command_lines(example: Example) -> list[str]:
    from kbc_validate.cli import main

    with tempfile.TemporaryDirectory() as folder, _in_folder(Path(folder)):
        Path(example.file_name).write_text(example.text + "\n", encoding="utf-8")
        out = io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
            main(["-q", *example.command.split()[1:]])
    return out.getvalue().splitlines()


def _request_report(text: str) -> Any:
    from kbc_validate import validate_request

    head, _, body = text.partition("\n\n")
    request_line, *header_lines = head.splitlines()
    method, target, _ = request_line.split(" ")
    headers = dict(line.split(": ", 1) for line in header_lines)
    url = f"https://{headers.pop('Host')}{target}"
    return validate_request(method, url, headers, body.encode(), today=TODAY)


def _lines(report: Any) -> list[str]:
    return [f"{issue.code} {issue.message}" + (f" (at {issue.path})" if issue.path else "") for issue in report.issues]


@contextlib.contextmanager
def _in_folder(folder: Path) -> Any:
    before = Path.cwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(before)


def _body(**changes: Any) -> dict[str, Any]:
    """A single payment KBC accepts, with `changes` (a member set to ``...`` is left out)."""
    body: dict[str, Any] = {
        "instructedAmount": {"currency": "EUR", "amount": "12.50"},
        "creditorAccount": {"iban": "BE56363123456788"},
        "creditorName": "Merchant NV",
    }
    body.update(changes)
    return {key: value for key, value in body.items() if value is not ...}


def _periodic(**changes: Any) -> dict[str, Any]:
    return _body(**{"startDate": "2027-01-04", "frequency": "Monthly", **changes})


def _bulk(*payments: dict[str, Any], **changes: Any) -> dict[str, Any]:
    element = _body()
    return {"debtorAccount": {"iban": "BE36734012345681"}, "payments": list(payments) or [element], **changes}


def _amount(amount: str) -> Example:
    return Example("payments", _body(instructedAmount={"currency": "EUR", "amount": amount}))


def _creditor_iban(iban: str) -> Example:
    return Example("payments", _body(creditorAccount={"iban": iban}))


def _date(value: str) -> Example:
    return Example("payments", _body(requestedExecutionDate=value))


def _name(name: str) -> Example:
    return Example("payments", _body(creditorName=name))


def _reference(reference: str, issuer: str | None = None) -> Example:
    structured = {"reference": reference} | ({"referenceIssuer": issuer} if issuer else {})
    return Example("payments", _body(remittanceInformationStructured=structured))


def _csv(*lines: str) -> Example:
    return Example("csv", "\n".join(lines))


def _request(path: str, headers: dict[str, str], body: str) -> Example:
    head = [f"POST {path} HTTP/1.1", "Host: psd2.api.kbc.be"] + [f"{name}: {value}" for name, value in headers.items()]
    return Example("request", "\n".join(head) + "\n\n" + body)


def _python(call: str, *imports: str) -> Example:
    lines = ["from datetime import UTC, datetime", *imports, "", call]
    return Example("python", "\n".join(lines))


_HEADER = "Creditor IBAN;Creditor name;Amount;End to end id"
_ROW = "BE56363123456788;Merchant NV;12,50;E2E-1"
_OTHER_ROW = "BE48735500000127;Supplier NV;99,00;E2E-2"
_HEADERS = {"X-Request-ID": "3f1c2b7e-8a4d-4c1e-9d55-0a6b2f7c9e10", "PSU-IP-Address": "192.0.2.10",
            "TPP-Redirect-URI": "https://tpp.example/cb", "Content-Type": "application/json"}
_PAYMENT_PATH = "/psd2/v2/payments/sepa-credit-transfers"
_JSON_BODY = '{"instructedAmount": {"currency": "EUR", "amount": "12.50"}, ' \
    '"creditorAccount": {"iban": "BE56363123456788"}, "creditorName": "Merchant NV"}'
_AT = "at=datetime(2026, 11, 24, 12, tzinfo=UTC)"
_CERTIFICATE = "from kbc_validate import check_client_certificate"
_TOKEN = "from kbc_validate import check_access_token"
_SCREEN_SCRAPE = "from kbc_validate import check_screen_scrape_identifier"


def _certificate(name: str | None, role: str = "PSP_PI") -> Example:
    given = f'"examples/certificates/{name}"' if name else "None"
    return _python(f'report = check_client_certificate({given}, role="{role}", {_AT})', _CERTIFICATE)


def _token(authorization: str) -> Example:
    return _python(f"report = check_access_token({authorization!r}, {_AT})", _TOKEN)


def _screen_scrape(identifier: str) -> Example:
    call = (f"report = check_screen_scrape_identifier(\n    {{'tppScreenScrapeIdentifier': {identifier!r}}},\n"
            f"    validity='2026-11-24T18:00:00+00:00',\n    {_AT},\n)")
    return _python(call, _SCREEN_SCRAPE)


_VALID = Example("payments", _body())

# A pain.001.001.03 bulk file KBC accepts (checked on 2026-11-24 for an execution on Tuesday 1 December 2026).
_PAIN001 = """<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.03">
  <CstmrCdtTrfInitn>
    <GrpHdr>
      <MsgId>MSG-1</MsgId>
      <CreDtTm>2026-11-24T10:00:00</CreDtTm>
      <NbOfTxs>1</NbOfTxs>
      <CtrlSum>12.50</CtrlSum>
      <InitgPty><Nm>Merchant NV</Nm></InitgPty>
    </GrpHdr>
    <PmtInf>
      <PmtInfId>BLOCK-1</PmtInfId>
      <PmtMtd>TRF</PmtMtd>
      <PmtTpInf><SvcLvl><Cd>SEPA</Cd></SvcLvl></PmtTpInf>
      <ReqdExctnDt>2026-12-01</ReqdExctnDt>
      <Dbtr><Nm>Merchant NV</Nm></Dbtr>
      <DbtrAcct><Id><IBAN>BE36734012345681</IBAN></Id></DbtrAcct>
      <DbtrAgt><FinInstnId><BIC>KREDBEBB</BIC></FinInstnId></DbtrAgt>
      <ChrgBr>SLEV</ChrgBr>
      <CdtTrfTxInf>
        <PmtId><EndToEndId>E2E-1</EndToEndId></PmtId>
        <Amt><InstdAmt Ccy="EUR">12.50</InstdAmt></Amt>
        <Cdtr><Nm>Supplier NV</Nm></Cdtr>
        <CdtrAcct><Id><IBAN>BE56363123456788</IBAN></Id></CdtrAcct>
        <RmtInf><Ustrd>Invoice 42</Ustrd></RmtInf>
      </CdtTrfTxInf>
    </PmtInf>
  </CstmrCdtTrfInitn>
</Document>"""
_USTRD = "<RmtInf><Ustrd>Invoice 42</Ustrd></RmtInf>"
_OGM = "010806817183"


def _xml(*changes: tuple[str, str]) -> Example:
    """The pain.001 file above with each (old, new) replacement made."""
    text = _PAIN001
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new, 1)
    return Example("xml", text)


def _structured(reference: str, issuer: str = "BBA", kind: str = "SCOR", extra: str = "") -> Example:
    tp = f"<Tp><CdOrPrtry><Cd>{kind}</Cd></CdOrPrtry><Issr>{issuer}</Issr></Tp>"
    return _xml((_USTRD, f"<RmtInf><Strd>{extra}<CdtrRefInf>{tp}<Ref>{reference}</Ref></CdtrRefInf></Strd></RmtInf>"))


def _address(*parts: str) -> Example:
    creditor = "<Cdtr><Nm>Supplier NV</Nm></Cdtr>"
    return _xml((creditor, creditor.replace("</Cdtr>", f"<PstlAdr>{''.join(parts)}</PstlAdr></Cdtr>")))


def _repeated_schema_mistake(transactions: int, iban: str = "be56363123456788") -> Example:
    """A file whose every transaction writes its creditor's IBAN as `iban` (in lower case: a schema error each)."""
    code = f"""from kbc_validate import validate_pain001

head, rest = PAIN001.split("      <CdtTrfTxInf>")
transaction, tail = ("      <CdtTrfTxInf>" + rest).split("    </PmtInf>")
transaction = transaction.replace("BE56363123456788", "{iban}")
document = head + transaction * {transactions} + "    </PmtInf>" + tail
document = document.replace("<NbOfTxs>1</NbOfTxs>", "<NbOfTxs>{transactions}</NbOfTxs>")
document = document.replace("<CtrlSum>12.50</CtrlSum>", "")
report = validate_pain001(document, today=datetime(2026, 11, 24).date())"""
    return _python(code, f"PAIN001 = {_PAIN001!r}")
# JWTs with {"alg": "none"} headers; the payloads hold exp 1764000000 (2025-11-24) and 1827072000 (2027-11-24).
_JWT_EXPIRED = "eyJhbGciOiJub25lIn0.eyJleHAiOjE3NjQwMDAwMDB9.c2lnbmF0dXJl"
_JWT_VALID = "eyJhbGciOiJub25lIn0.eyJleHAiOjE4MjcwNzIwMDB9.c2lnbmF0dXJl"

EXAMPLES: dict[str, tuple[Example, Example]] = {
    "KBC100": (Example("payments", "12.50"), _VALID),
    "KBC101": (Example("payments", _body(creditorName=...)), _VALID),
    "KBC102": (Example("payments", _body(creditorName=None)), _VALID),
    "KBC103": (Example("payments", _body(instructedAmount={"currency": "EUR", "amount": 12.5})), _VALID),
    "KBC104": (Example("payments", _body(creditorNmae="Merchant NV")), _VALID),
    "KBC105": (Example("payments", _body(remittanceInformationUnstructured=None)), _VALID),
    "KBC200": (_amount("0.00"), _amount("0.01")),
    "KBC201": (_amount("12,50"), _amount("12.50")),
    "KBC202": (_amount("12.505"), _amount("12.5")),
    "KBC203": (_amount("1000000000.00"), _amount("999999999.99")),
    "KBC204": (_amount("0012.50"), _amount("12.50")),
    "KBC210": (Example("payments", _body(instructedAmount={"currency": "USD", "amount": "12.50"})), _VALID),
    "KBC211": (Example("payments", _body(instructedAmount={"currency": "eur", "amount": "12.50"})), _VALID),
    "KBC301": (Example("payments", _body(creditorAccount={"iban": "BE56363123456788", "bban": "363123456788"})),
               _VALID),
    "KBC302": (_creditor_iban("BE56 3631 2345 6788"), _creditor_iban("BE56363123456788")),
    "KBC303": (_creditor_iban("56BE363123456788"), _creditor_iban("BE56363123456788")),
    "KBC304": (_creditor_iban("US64SVBKUS6S3300958879"), _creditor_iban("BE56363123456788")),
    "KBC305": (_creditor_iban("BE5636312345678"), _creditor_iban("BE56363123456788")),
    "KBC306": (_creditor_iban("BE36A34012345681"), _creditor_iban("BE36734012345681")),
    "KBC307": (_creditor_iban("BE00734012345681"), _creditor_iban("BE36734012345681")),
    "KBC308": (_creditor_iban("BE36734012345680"), _creditor_iban("BE36734012345681")),
    "KBC309": (_creditor_iban("BE63734012345680"), _creditor_iban("BE36734012345681")),
    "KBC310": (_creditor_iban("BR1800360305000010009795493C1"), _creditor_iban("CH9300762011623852957")),
    "KBC311": (_creditor_iban("BE68539007547034"), _creditor_iban("BE48735500000127")),
    "KBC320": (Example("payments", _body(debtorAccount={"iban": "BE56363123456788"})),
               Example("payments", _body(debtorAccount={"iban": "BE36734012345681"}))),
    "KBC330": (Example("payments", _body(creditorAgent="KREDBE1B")),
               Example("payments", _body(creditorAgent="KREDBEBB"))),
    "KBC331": (Example("payments", _body(creditorAddress={"townName": "Brussel", "country": "BEL"})),
               Example("payments", _body(creditorAddress={"townName": "Brussel", "country": "BE"}))),
    "KBC400": (_date("20261201"), _date("2026-12-01")),
    "KBC401": (_date("2026-11-23"), _date("2026-11-24")),
    "KBC402": (_date("2026-11-28"), _date("2026-11-30")),
    "KBC403": (_date("2026-12-25"), _date("2026-12-24")),
    "KBC404": (_date("2027-05-06"), _date("2027-05-05")),
    "KBC405": (_date("2027-12-01"), _date("2027-11-24")),
    "KBC406": (Example("payments", _body(requestedExecutionTime="2026-12-01 10:30")),
               Example("payments", _body(requestedExecutionTime="2026-12-01T10:30:00+01:00"))),
    "KBC410": (Example("periodic-payments", _periodic(endDate="2026-12-31")),
               Example("periodic-payments", _periodic(endDate="2027-12-31"))),
    "KBC500": (Example("periodic-payments", _periodic(frequency="monthly")), Example("periodic-payments", _periodic())),
    "KBC501": (Example("periodic-payments", _periodic(dayOfExecution="04")),
               Example("periodic-payments", _periodic(dayOfExecution="4"))),
    "KBC502": (Example("periodic-payments", _periodic(monthsOfExecution=["1", "7"])),
               Example("periodic-payments", _periodic(frequency="MonthlyVariable", monthsOfExecution=["1", "7"]))),
    "KBC503": (Example("periodic-payments", _periodic(frequency="MonthlyVariable")),
               Example("periodic-payments", _periodic(frequency="MonthlyVariable", monthsOfExecution=["1", "7"]))),
    "KBC504": (Example("periodic-payments", _periodic(frequency="MonthlyVariable", monthsOfExecution=["01", "07"])),
               Example("periodic-payments", _periodic(frequency="MonthlyVariable", monthsOfExecution=["1", "7"]))),
    "KBC505": (Example("periodic-payments", _periodic(executionRule="next")),
               Example("periodic-payments", _periodic(executionRule="following"))),
    "KBC600": (Example("payments", _body(remittanceInformationUnstructured="Invoice 42",
                                         remittanceInformationStructured={"reference": "010806817183"})),
               Example("payments", _body(remittanceInformationStructured={"reference": "010806817183"}))),
    "KBC601": (_reference("+++010/8068/17180+++"), _reference("+++010/8068/17183+++")),
    "KBC602": (_reference("INV-42", "BBA"), _reference("010806817183", "BBA")),
    "KBC603": (Example("payments", _body(remittanceInformationUnstructured="010806817180")),
               Example("payments", _body(remittanceInformationUnstructured="010806817183"))),
    "KBC604": (_reference("RF17539007547034"), _reference("RF18539007547034")),
    "KBC605": (_reference("INV-42", "ISO"), _reference("RF18539007547034", "ISO")),
    "KBC700": (Example("payments", _body(remittanceInformationUnstructured=" ")),
               Example("payments", _body(remittanceInformationUnstructured="Invoice 42"))),
    "KBC701": (_name("Merchant NV " + "x" * 60), _name("Merchant NV " + "x" * 58)),
    "KBC702": (Example("payments", _body(endToEndIdentification="INV_42")),
               Example("payments", _body(endToEndIdentification="INV-42"))),
    "KBC703": (Example("payments", _body(creditorName="Merchant\u00a0NV"),
                       "The space in the creditor's name is a no-break space (U+00A0), which looks like any other."),
               _name("Merchant NV")),
    "KBC704": (_name("Café Zeeman"), _name("Cafe Zeeman")),
    "KBC802": (Example("json", json.dumps(_bulk(), indent=2)), _xml()),
    "KBC810": (_xml(("<NbOfTxs>1</NbOfTxs>", "<NbOfTxs>2</NbOfTxs>")), _xml()),
    "KBC811": (_xml(("<CtrlSum>12.50</CtrlSum>", "<CtrlSum>12.05</CtrlSum>")), _xml()),
    "KBC812": (_xml(("<PmtMtd>TRF</PmtMtd>", "<PmtMtd>CHK</PmtMtd>")), _xml()),
    "KBC813": (_xml(("<Cd>SEPA</Cd>", "<Cd>NURG</Cd>")), _xml()),
    "KBC814": (_xml(("<PmtTpInf><SvcLvl><Cd>SEPA</Cd></SvcLvl></PmtTpInf>\n      ", "")), _xml()),
    "KBC815": (_xml(("<ChrgBr>SLEV</ChrgBr>", "<ChrgBr>DEBT</ChrgBr>")), _xml()),
    "KBC816": (_xml((_USTRD, "<RmtInf><Ustrd>Invoice 42</Ustrd><Ustrd>and 43</Ustrd></RmtInf>")), _xml()),
    "KBC817": (_structured(_OGM, kind="DISP"), _structured(_OGM)),
    "KBC818": (_structured("INV-42", issuer="ACME"), _structured(_OGM)),
    "KBC819": (_structured("+++010/8068/17183+++"), _structured(_OGM)),
    "KBC820": (_xml(("<CdtrAcct><Id><IBAN>BE56363123456788</IBAN></Id></CdtrAcct>",
                     "<CdtrAcct><Id><Othr><Id>363-1234567-88</Id></Othr></Id></CdtrAcct>")), _xml()),
    "KBC821": (_structured(_OGM, extra="<RfrdDocInf><Nb>INV-42</Nb></RfrdDocInf>"), _structured(_OGM)),
    "KBC822": (_address("<TwnNm>Gent</TwnNm><Ctry>BE</Ctry>", "<AdrLine>Kerkstraat 1</AdrLine>" * 3),
               _address("<TwnNm>Gent</TwnNm><Ctry>BE</Ctry>", "<AdrLine>Kerkstraat 1</AdrLine>" * 2)),
    "KBC823": (_address("<AdrLine>Kerkstraat 1</AdrLine><AdrLine>9000 Gent</AdrLine>"),
               _address("<TwnNm>Gent</TwnNm><Ctry>BE</Ctry>", "<AdrLine>Kerkstraat 1</AdrLine>")),
    "KBC824": (_xml(("<EndToEndId>E2E-1</EndToEndId>", "<EndToEndId>E2E-1/</EndToEndId>")), _xml()),
    "KBC920": (_xml(("</Document>", "</Documnet>")), _xml()),
    "KBC921": (_xml(('<?xml version="1.0" encoding="UTF-8"?>',
                     '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE Document [<!ENTITY x "y">]>')), _xml()),
    "KBC922": (_xml(("pain.001.001.03", "pain.001.001.02")), _xml()),
    "KBC923": (_xml(("<DbtrAgt><FinInstnId><BIC>KREDBEBB</BIC></FinInstnId></DbtrAgt>\n      ", "")), _xml()),
    "KBC924": (_xml(("<Cdtr><Nm>", "<Urgent/>\n        <Cdtr><Nm>")), _xml()),
    "KBC925": (_xml(("<BIC>KREDBEBB</BIC>", "<BIC>KREDBEB</BIC>")), _xml()),
    "KBC926": (_xml(('Ccy="EUR"', 'Ccy="EURO"')), _xml()),
    "KBC927": (_xml(('encoding="UTF-8"', 'encoding="ISO-8859-1"')), _xml()),
    "KBC928": (_repeated_schema_mistake(1001), _repeated_schema_mistake(1, "BE56363123456788")),
    "KBC800": (Example("bulk-payments", {"debtorAccount": {"iban": "BE36734012345681"}, "payments": []}),
               Example("bulk-payments", _bulk())),
    "KBC801": (Example("bulk-payments", _bulk(_body(requestedExecutionDate="2026-12-01"))),
               Example("bulk-payments", _bulk(requestedExecutionDate="2026-12-01"))),
    "KBC900": (Example("json", _JSON_BODY.replace('"Merchant NV"}', '"Merchant NV",}')), Example("json", _JSON_BODY)),
    "KBC901": (Example("json", _JSON_BODY[:-1] + ', "creditorName": "Merchant SA"}'),
               Example("json", _JSON_BODY)),
    "KBC902": (_csv("Creditor IBAN;Amount", "BE56363123456788;12,50"), _csv(_HEADER, _ROW)),
    "KBC903": (_csv(_HEADER, "BE56363123456788;Merchant NV;12,50;E2E-1;"),
               _csv(_HEADER, _ROW)),
    "KBC904": (_csv(_HEADER + ";Beneficiary IBAN", "BE56363123456788;Merchant NV;12,50;E2E-1;BE56363123456788"),
               _csv(_HEADER, _ROW)),
    "KBC905": (Example("csv", f"{_HEADER}\nBE56363123456788;Merchant\x00 NV;12,50;E2E-1",
                       "The second line holds a NUL byte (U+0000) after 'Merchant', which does not show here."),
               _csv(_HEADER, _ROW)),
    "KBC906": (_csv(_HEADER + ";Remarks", "BE56363123456788;Merchant NV;12,50;E2E-1;urgent"),
               _csv(_HEADER, _ROW)),
    "KBC907": (_csv(_HEADER, _ROW, "BE48735500000127;Supplier NV;99,00;E2E-1"),
               _csv(_HEADER, _ROW, _OTHER_ROW)),
    "KBC908": (_csv(_HEADER, _ROW, "BE56363123456788;Merchant NV;12,50;E2E-2"),
               _csv(_HEADER, _ROW, "BE56363123456788;Merchant NV;13,50;E2E-2")),
    "KBC909": (_csv(_HEADER, _ROW, "", _OTHER_ROW),
               _csv(_HEADER, _ROW, _OTHER_ROW)),
    "KBC950": (_request("/psd2/v2/consents", _HEADERS, "{}"), _request(_PAYMENT_PATH, _HEADERS, _JSON_BODY)),
    "KBC951": (_request("/psd2/v2/payments/instant-sepa-credit-transfers", _HEADERS, _JSON_BODY),
               _request(_PAYMENT_PATH, _HEADERS, _JSON_BODY)),
    # Retired: a pain.001 body is checked now; the first example is the request that once got KBC952.
    "KBC952": (_request("/psd2/v2/bulk-payments/pain.001", {**_HEADERS, "Content-Type": "application/xml"},
                        _PAIN001),
               _request(_PAYMENT_PATH, _HEADERS, _JSON_BODY)),
    "KBC953": (_request(_PAYMENT_PATH, {k: v for k, v in _HEADERS.items() if k != "PSU-IP-Address"}, _JSON_BODY),
               _request(_PAYMENT_PATH, _HEADERS, _JSON_BODY)),
    "KBC954": (_request(_PAYMENT_PATH, {**_HEADERS, "X-Request-ID": "42"}, _JSON_BODY),
               _request(_PAYMENT_PATH, _HEADERS, _JSON_BODY)),
    "KBC970": (_certificate(None), _certificate("qwac.pem")),
    "KBC971": (_certificate("not-a-certificate.pem"), _certificate("qwac.pem")),
    "KBC972": (_certificate("expired.pem"), _certificate("qwac.pem")),
    "KBC973": (_certificate("not-yet-valid.pem"), _certificate("qwac.pem")),
    "KBC974": (_certificate("no-psd2-organization-identifier.pem"), _certificate("qwac.pem")),
    "KBC975": (_certificate("no-psd2-statement.pem"), _certificate("qwac.pem")),
    "KBC976": (_certificate("account-information-only.pem"), _certificate("qwac.pem")),
    "KBC977": (_certificate("server-only.pem"), _certificate("qwac.pem")),
    "KBC980": (_token("Basic dXNlcjpwYXNzd29yZA=="), _token("Bearer 2YotnFZFEjr1zCsicMWpAA")),
    "KBC981": (_token(f"Bearer {_JWT_EXPIRED}"), _token(f"Bearer {_JWT_VALID}")),
    "KBC982": (_token("Bearer eyJhbGciOiJub25lIn0.bm90IGpzb24.c2lnbmF0dXJl"), _token(f"Bearer {_JWT_VALID}")),
    "KBC983": (_screen_scrape(""), _screen_scrape("a1b2c3")),
    "KBC984": (_python("report = check_screen_scrape_identifier(\n    {'tppScreenScrapeIdentifier': 'a1b2c3'},\n"
                       "    validity='2026-11-24T10:00:00+00:00',\n    " + _AT + ",\n)", _SCREEN_SCRAPE),
               _screen_scrape("a1b2c3")),
    "KBC985": (_python("report = check_screen_scrape_identifier(\n    {'tppScreenScrapeIdentifier': 'a1b2c3'},\n"
                       "    validity='tomorrow',\n    " + _AT + ",\n)", _SCREEN_SCRAPE),
               _screen_scrape("a1b2c3")),
}
