"""Properties of the pain.001 validator: valid documents give no finding; one mutation gives exactly its cause at
its element; nothing raises; the quick reading of a transaction's text equals the reading of its elements; and each
transaction's verdict agrees with `validate_payment` on the equivalent JSON body."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from kbc_validate import validate_pain001, validate_payment
from kbc_validate.pain001 import rules as pain001_rules
from tests.pain001_documents import DEBTOR, EXECUTION, document, transaction
from tests.strategies import NEAR_MISSES, amounts, basic_text, valid_ibans, valid_ogms, valid_rf_references

TODAY = date(2026, 12, 5)
_XML_CHARACTERS = re.compile("[\t\n\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]*")
_SLASHES = re.compile(r"^/|/$|//")
identifiers = basic_text(35).filter(lambda text: _SLASHES.search(text) is None)
names = basic_text(70)
bics = st.sampled_from([None, "KREDBEBB", "GEBABEBB", "BBRUBEBB", "KREDBEBB100"])


@st.composite
def remittances(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(st.sampled_from(["none", "text", "ogm", "rf"]))
    if kind == "text":
        return {"ustrd": draw(basic_text(140))}
    if kind == "ogm":
        return {"ustrd": None, "ref": draw(valid_ogms()), "issuer": "BBA"}
    if kind == "rf":
        return {"ustrd": None, "ref": draw(valid_rf_references()), "issuer": "ISO"}
    return {"ustrd": None}


@st.composite
def valid_transactions(draw: st.DrawFn, number: int) -> dict[str, Any]:
    return transaction(e2e=f"{draw(identifiers)}-{number}"[-35:].lstrip("/") or "E2E", amount=draw(amounts),
                       name=draw(names), iban=draw(valid_ibans()), bic=draw(bics), **draw(remittances()))


@st.composite
def valid_documents(draw: st.DrawFn) -> tuple[str, list[dict[str, Any]]]:
    count = draw(st.integers(1, 4))
    transactions = [draw(valid_transactions(number)) for number in range(count)]
    assume(DEBTOR not in {tx["iban"] for tx in transactions})
    keys = {(tx["iban"], tx["amount"], tx["ref"] or tx["ustrd"]) for tx in transactions}
    assume(len(keys) == count)  # no repeated payment
    assume(len({tx["e2e"] for tx in transactions}) == count)
    return document(transactions, version=draw(st.sampled_from(["03", "09"]))), transactions


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(valid_documents())
def test_valid_documents_give_no_finding(generated: tuple[str, list[dict[str, Any]]]) -> None:
    text, _ = generated
    assert validate_pain001(text, today=TODAY).codes == ()


MUTATIONS = [
    # (member changed, value, expected code, path below the transaction)
    ("amount", "0.00", "KBC200", "Amt.InstdAmt"),
    ("amount", "1.999", "KBC202", "Amt.InstdAmt"),
    ("ccy", "GBP", "KBC210", "Amt.InstdAmt.@Ccy"),
    ("name", "Zeeman \u00e9", "KBC704", "Cdtr.Nm"),
    ("name", "Zeeman \u0430", "KBC703", "Cdtr.Nm"),
    ("e2e", "INV_1", "KBC702", "PmtId.EndToEndId"),
    ("iban", DEBTOR, "KBC320", "CdtrAcct.Id.IBAN"),
    ("ustrd", "+++010/8068/17180+++", "KBC601", "RmtInf.Ustrd"),
]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(valid_documents(), st.sampled_from(MUTATIONS), st.data())
def test_one_mutation_gives_exactly_its_cause_at_its_element(
    generated: tuple[str, list[dict[str, Any]]], mutation: tuple[str, str, str, str], data: st.DataObject
) -> None:
    _, transactions = generated
    member, value, code, path = mutation
    index = data.draw(st.integers(0, len(transactions) - 1))
    changed = dict(transactions[index])
    changed[member] = value
    if member == "ustrd":
        changed.update(ref=None, issuer=None)
    transactions = [*transactions[:index], changed, *transactions[index + 1:]]
    report = validate_pain001(document(transactions), today=TODAY)
    assert [(issue.code, issue.path) for issue in report.issues] == [
        (code, f"PmtInf[0].CdtTrfTxInf[{index}].{path}")]


xml_texts = st.one_of(st.sampled_from([value for value in NEAR_MISSES if isinstance(value, str)]),
                      st.text(max_size=20)).filter(lambda text: _XML_CHARACTERS.fullmatch(text) is not None)


@st.composite
def any_transactions(draw: st.DrawFn, number: int) -> dict[str, Any]:
    """Transactions whose values are anything XML can carry: valid, one rule away, or random."""
    def pick(valid: st.SearchStrategy[Any]) -> Any:
        return draw(st.one_of(valid, xml_texts))

    remittance = draw(remittances())
    if remittance.get("ref") is not None:
        remittance["ref"] = pick(st.just(remittance["ref"]))
        remittance["issuer"] = draw(st.sampled_from(["BBA", "ISO", "bba", "ACME", None]))
    elif remittance.get("ustrd") is not None:
        remittance["ustrd"] = pick(st.just(remittance["ustrd"]))
    return transaction(e2e=pick(st.just(f"E2E-{number}")), amount=pick(amounts), ccy=pick(st.just("EUR")),
                       name=pick(names), iban=pick(valid_ibans()), bic=draw(bics), **remittance)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.integers(0, 3), min_size=1, max_size=4).flatmap(
    lambda numbers: st.tuples(*(any_transactions(n) for n in numbers))), st.sampled_from(["03", "09"]))
def test_the_quick_reading_equals_the_reading_of_the_elements(transactions: tuple[dict[str, Any], ...],
                                                              version: str) -> None:
    text = document(list(transactions), version=version)
    quick = validate_pain001(text, today=TODAY)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pain001_rules, "transaction_pattern", lambda _: re.compile("(?!)"))
        elements = validate_pain001(text, today=TODAY)
    assert quick == elements


# Codes only one of the two bodies can have: the XML's schema and file-level rules, the JSON's shape rules.
_SHARED = re.compile(r"KBC[2-7]\d\d")


def json_body(tx: dict[str, Any]) -> dict[str, Any]:
    body: dict[str, Any] = {
        "endToEndIdentification": tx["e2e"], "instructedAmount": {"amount": tx["amount"], "currency": tx["ccy"]},
        "creditorName": tx["name"], "creditorAccount": {"iban": tx["iban"]}, "debtorAccount": {"iban": DEBTOR},
        "requestedExecutionDate": EXECUTION,
    }
    if tx["bic"] is not None:
        body["creditorAgent"] = tx["bic"]
    if tx["ref"] is not None:
        body["remittanceInformationStructured"] = {"reference": tx["ref"], **(
            {"referenceIssuer": tx["issuer"]} if tx["issuer"] else {})}
    elif tx["ustrd"] is not None:
        body["remittanceInformationUnstructured"] = tx["ustrd"]
    return body


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(any_transactions(0))
def test_a_transaction_agrees_with_validate_payment_on_its_json_body(tx: dict[str, Any]) -> None:
    assume(not (isinstance(tx["amount"], str) and re.fullmatch(r"\s*\+.*|.*\.\s*|\s*\..*|\s+.*|.*\s+", tx["amount"])))
    assume(tx["ref"] is None or not re.search(r"[+*/]", tx["ref"]) or tx["issuer"] not in ("BBA", "bba"))
    assume(all(tx[member] != "" for member in ("e2e", "amount", "name", "iban", "ccy")))
    assume(tx["ref"] != "" and tx["ustrd"] != "" and tx["issuer"] != "")
    xml = {issue.code for issue in validate_pain001(document([tx]), today=TODAY).issues if _SHARED.fullmatch(issue.code)}
    json = {issue.code for issue in validate_payment(json_body(tx), today=TODAY).issues if _SHARED.fullmatch(issue.code)}
    assert xml == json


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=400))
def test_arbitrary_bytes_never_raise(data: bytes) -> None:
    validate_pain001(data, today=TODAY)
    validate_pain001(b'<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.03">'
                     + data, today=TODAY)


_NAMES = ["Document", "CstmrCdtTrfInitn", "GrpHdr", "PmtInf", "CdtTrfTxInf", "Amt", "InstdAmt", "IBAN", "Nm", "Cdtr",
          "CdtrAcct", "Id", "RmtInf", "Strd", "Ustrd", "PmtId", "EndToEndId", "NbOfTxs", "CtrlSum", "x"]
elements = st.recursive(
    st.tuples(st.sampled_from(_NAMES), xml_texts, st.just(())),
    lambda children: st.tuples(st.sampled_from(_NAMES), st.just(""), st.lists(children, max_size=4).map(tuple)),
    max_leaves=25,
)


def render(element: tuple[str, str, tuple[Any, ...]]) -> str:
    from xml.sax.saxutils import escape

    name, text, children = element
    return f"<{name}>{escape(text)}{''.join(render(child) for child in children)}</{name}>"


@settings(max_examples=150, deadline=None)
@given(elements, st.sampled_from(["root", "transaction", "header"]))
def test_arbitrary_well_formed_xml_never_raises(element: tuple[str, str, tuple[Any, ...]], where: str) -> None:
    fragment = render(element)
    if where == "root":
        text = f'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.03">{fragment}</Document>'
    elif where == "transaction":
        text = document().replace("<PmtId>", fragment + "<PmtId>", 1)
    else:
        text = document().replace("<MsgId>", fragment + "<MsgId>", 1)
    validate_pain001(text, today=TODAY)
