"""KBC's rules on a pain.001 document beyond its schema, element by element, in the rules' own modules' terms.

Each element is checked by the rule that checks the same member of a JSON body (`rules.account.check_iban`,
`rules.amount.check_amount`, `rules.execution_date.check_execution_date`, `rules.remittance`, `rules.text`), with
the element's own location: ``("PmtInf", 0, "CdtTrfTxInf", 1, "CdtrAcct", "Id", "IBAN")``. What only a pain.001
file has (counts and control sums, payment method, service level, charge bearer, creditor reference type and
issuer, address lines) has codes of its own (KBC81x-82x). Where KBC is silent, a finding is a warning.

Schema-level problems (a missing mandatory element, a wrong pattern) are the schema's findings; the rules here skip
an element whose text is empty, which the schema reports.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from kbc_validate.findings import Issue, Loc, finding
from kbc_validate.files.repeats import RepeatTracker
from kbc_validate.identifiers import ogm_vcs
from kbc_validate.rules.account import check_bic, check_iban, comparable
from kbc_validate.rules.amount import check_amount, check_currency
from kbc_validate.rules.context import Context
from kbc_validate.rules.execution_date import check_execution_date
from kbc_validate.rules.remittance import check_ogm, check_rf, check_unstructured, reference_scheme
from kbc_validate.rules.text import check_text
from kbc_validate.pain001.versions import Version

NAME_MAX = 70  # EPC: names are 70 characters, though the .09 schema allows 140
IDENTIFIER_MAX = 35
ADDRESS_LINES_MAX = 2
STRUCTURED_ADDRESSES_FROM = date(2026, 11, 15)  # EPC153-22: no address in AdrLine only from this date
_XSD_DECIMAL = re.compile(r"\s*([+-]?)(\d*)(?:\.(\d*))?\s*")
_DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T")
_SLASHES = re.compile(r"^/|/$|//")
Place = Callable[[Any], tuple[int, int]]


@dataclass
class Declared:
    """A count or sum a header declares, where it is, and what it covers so far."""

    count_text: str | None = None
    count_at: tuple[Loc, int, int] | None = None
    sum_text: str | None = None
    sum_at: tuple[Loc, int, int] | None = None
    count: int = 0
    total: Decimal = Decimal(0)
    total_known: bool = True

    def add(self, amount: Decimal | None) -> None:
        self.count += 1
        if amount is None:
            self.total_known = False
        else:
            self.total += amount


@dataclass
class Block:
    """The payment information block being read."""

    index: int
    declared: Declared = field(default_factory=Declared)
    debtor: str | None = None
    execution_day: date | None = None
    at: tuple[Loc, int, int] = ((), 1, 1)  # the block's own place
    service_level: bool = False  # given for the whole block
    unleveled: bool = False  # a transaction has no service level, and the block gives none


class DocumentRules:
    """The rules of one document, fed its elements as they are read; findings collect in ``issues``."""

    def __init__(self, version: Version, today: date, repeats: RepeatTracker) -> None:
        self.version = version
        self.ctx = Context(today)
        self.repeats = repeats
        self.q = f"{{{version.namespace}}}"
        self._paths: dict[str, str] = {}
        self.group = Declared()
        self.block: Block | None = None
        self.blocks = 0
        self.transactions = 0
        self.transaction_index = 0  # of the transaction last read, within its block
        self.place: Place = lambda element: (element.sourceline or 1, 1)

    @property
    def issues(self) -> list[Issue]:
        return self.ctx.issues

    # -- where findings are -------------------------------------------------------------------------------------

    def _at(self, element: Any, start: int) -> None:
        """Give the findings made since `start` the place of `element`."""
        issues = self.ctx.issues
        if len(issues) > start:
            line, column = self.place(element)
            for index in range(start, len(issues)):
                issues[index] = replace(issues[index], line=line, column=column)

    def _report(self, code: str, loc: Loc, value: Any, at: Any, **ctx: Any) -> None:
        """Report rule `code` at `loc`, placed at the element `at`."""
        start = len(self.ctx.issues)
        self.ctx.report(code, loc, value, **ctx)
        self._at(at, start)

    def _check(self, check: Callable[..., None], element: Any, loc: Loc, *args: Any, **kwargs: Any) -> str | None:
        """Run a rule on an element's text (not on an empty one: the schema reports it); return the text."""
        text = _text(element)
        if text:
            start = len(self.ctx.issues)
            check(text, loc, self.ctx, *args, **kwargs)
            self._at(element, start)
        return text

    def find(self, element: Any, path: str) -> Any:
        """The first element at `path` (local names joined by '/') below `element`, or None."""
        qualified = self._paths.get(path)
        if qualified is None:
            qualified = self._paths[path] = "/".join(self.q + part for part in path.split("/"))
        return element.find(qualified)

    def _missing(self, parent: Any, name: str, loc: Loc) -> None:
        self._report("KBC923", (*loc, name), None, parent, element=name, parent=_local(parent))

    # -- group header -------------------------------------------------------------------------------------------

    def group_header(self, header: Any) -> None:
        loc: Loc = ("GrpHdr",)
        identifier = self.find(header, "MsgId")
        if identifier is not None:
            self._identifier(identifier, (*loc, "MsgId"))
        self.group = self._declared(header, loc)
        party = self.find(header, "InitgPty/Nm")
        if party is not None:
            self._check(check_text, party, (*loc, "InitgPty", "Nm"), NAME_MAX)

    def _declared(self, header: Any, loc: Loc) -> Declared:
        declared = Declared()
        count, total = self.find(header, "NbOfTxs"), self.find(header, "CtrlSum")
        if count is not None:
            declared.count_text, declared.count_at = _text(count), ((*loc, "NbOfTxs"), *self.place(count))
        if total is not None:
            declared.sum_text, declared.sum_at = _text(total), ((*loc, "CtrlSum"), *self.place(total))
        return declared

    # -- payment information block ------------------------------------------------------------------------------

    def _start_block(self, block: Any) -> Block:
        index = self.blocks
        self.blocks += 1
        loc: Loc = ("PmtInf", index)
        state = Block(index, self._declared(block, loc))
        self.block = state
        identifier = self.find(block, "PmtInfId")
        if identifier is not None:
            self._identifier(identifier, (*loc, "PmtInfId"))
        method = self.find(block, "PmtMtd")
        if method is not None and _text(method) and _text(method) != "TRF":
            self._report("KBC812", (*loc, "PmtMtd"), _text(method), method)
        state.at = (loc, *self.place(block))
        state.service_level = self._payment_type(block, loc)
        self._execution_date(block, loc, state)
        self._party(block, "Dbtr", loc, mandatory=True)
        state.debtor = self._account(block, "DbtrAcct", loc)
        self._agent(block, "DbtrAgt", loc)
        self._charge_bearer(block, loc)
        self._party(block, "UltmtDbtr", loc, mandatory=False)
        return state

    def _payment_type(self, parent: Any, loc: Loc) -> bool:
        """Check PmtTpInf/SvcLvl; True when a service level is given."""
        level = self.find(parent, "PmtTpInf/SvcLvl")
        if level is None:
            return False
        code = self.find(level, "Cd")
        value = _text(code) if code is not None else _text(self.find(level, "Prtry"))
        if value and value != "SEPA":
            self._report("KBC813", (*loc, "PmtTpInf", "SvcLvl", "Cd" if code is not None else "Prtry"), value,
                         code if code is not None else level)
        return True

    def _execution_date(self, block: Any, loc: Loc, state: Block) -> None:
        when = self.find(block, "ReqdExctnDt")
        if when is None:
            return
        where = (*loc, "ReqdExctnDt")
        if self.version.dated_execution:
            inner = self.find(when, "Dt")
            where = (*where, "Dt")
            if inner is None:
                inner = self.find(when, "DtTm")
                where = (*where[:-1], "DtTm")
            when = inner
            if when is None:
                return
        text = _text(when)
        if _DATE_TIME.match(text):
            text = text[:10]
        elif "T" in text:
            return
        start = len(self.ctx.issues)
        if text:
            check_execution_date(text, where, self.ctx)
            self._at(when, start)
        try:
            state.execution_day = date.fromisoformat(text) if len(text) == 10 else None
        except ValueError:
            state.execution_day = None

    def _charge_bearer(self, parent: Any, loc: Loc) -> None:
        bearer = self.find(parent, "ChrgBr")
        if bearer is not None and _text(bearer) and _text(bearer) != "SLEV":
            self._report("KBC815", (*loc, "ChrgBr"), _text(bearer), bearer)

    def block_end(self, block: Any) -> None:
        """The block's counts and sums, once its last transaction is read."""
        state = self.block
        if state is None:  # a block without transactions: the schema says so; its header is still checked
            state = self._start_block(block)
        self._compare(state.declared, "payment information block")
        if state.unleveled:
            loc, line, column = state.at
            self.ctx.issues.append(replace(finding("KBC814", loc, None), line=line, column=column))
        self.block = None

    # -- transactions -------------------------------------------------------------------------------------------

    def transaction(self, transaction: Any) -> None:
        block = self.block if self.block is not None else self._start_block(transaction.getparent())
        index = self.transaction_index = block.declared.count
        loc: Loc = ("PmtInf", block.index, "CdtTrfTxInf", index)
        self.transactions += 1
        self._payment_id(transaction, loc)
        amount = self._amount(transaction, loc)
        block.declared.add(amount)
        self.group.add(amount)
        if not self._payment_type(transaction, loc) and not block.service_level:
            block.unleveled = True
        self._charge_bearer(transaction, loc)
        self._agent(transaction, "CdtrAgt", loc)
        self._party(transaction, "Cdtr", loc, mandatory=True)
        creditor = self._account(transaction, "CdtrAcct", loc)
        if creditor is not None and block.debtor is not None and comparable(creditor) == block.debtor:
            element = self.find(transaction, "CdtrAcct/Id/IBAN")
            self._report("KBC320", (*loc, "CdtrAcct", "Id", "IBAN"), creditor, element)
        self._party(transaction, "UltmtCdtr", loc, mandatory=False)
        self._remittance(transaction, loc)
        self._repeats(transaction, loc)

    def _payment_id(self, transaction: Any, loc: Loc) -> None:
        for name in ("InstrId", "EndToEndId"):
            element = self.find(transaction, f"PmtId/{name}")
            if element is not None:
                self._identifier(element, (*loc, "PmtId", name))

    def _identifier(self, element: Any, loc: Loc) -> str:
        text = self._check(check_text, element, loc, IDENTIFIER_MAX, identifier=True) or ""
        if _SLASHES.search(text):
            self._report("KBC824", loc, text, element)
        return text

    def _amount(self, transaction: Any, loc: Loc) -> Decimal | None:
        """Check the instructed amount and its currency; return the amount, when it is a decimal."""
        amount = self.find(transaction, "Amt/InstdAmt")
        if amount is None:
            if self.find(transaction, "Amt/EqvtAmt") is not None:
                self._missing(self.find(transaction, "Amt"), "InstdAmt", (*loc, "Amt"))
            return None
        where = (*loc, "Amt", "InstdAmt")
        currency = amount.get("Ccy")
        if currency:
            start = len(self.ctx.issues)
            check_currency(currency, (*where, "@Ccy"), self.ctx)
            self._at(amount, start)
        text = _text(amount)
        if not text:
            return None
        normal = _normal_decimal(text)
        start = len(self.ctx.issues)
        check_amount(normal, where, self.ctx)
        self._at(amount, start)
        try:
            return Decimal(normal)
        except InvalidOperation:
            return None

    def _party(self, parent: Any, name: str, loc: Loc, *, mandatory: bool) -> None:
        party = self.find(parent, name)
        if party is None:
            if mandatory:
                self._missing(parent, name, loc)
            return
        where = (*loc, name)
        party_name = self.find(party, "Nm")
        if party_name is None:
            if mandatory:
                self._missing(party, "Nm", where)
        else:
            self._check(check_text, party_name, (*where, "Nm"), NAME_MAX)
        address = self.find(party, "PstlAdr")
        if address is not None:
            self._address(address, (*where, "PstlAdr"))

    def _address(self, address: Any, loc: Loc) -> None:
        lines = address.findall(self.q + "AdrLine")
        for number, line in enumerate(lines):
            self._check(check_text, line, (*loc, "AdrLine", number), NAME_MAX)
        for name, most in (("StrtNm", 70), ("BldgNb", 16), ("PstCd", 16), ("TwnNm", 35)):
            element = self.find(address, name)
            if element is not None:
                self._check(check_text, element, (*loc, name), most)
        if len(lines) > ADDRESS_LINES_MAX:
            self._report("KBC822", (*loc, "AdrLine"), None, lines[ADDRESS_LINES_MAX], count=len(lines))
        day = self.block.execution_day if self.block is not None else None
        hybrid = self.find(address, "TwnNm") is not None and self.find(address, "Ctry") is not None
        if lines and not hybrid and day is not None and day >= STRUCTURED_ADDRESSES_FROM:
            self._report("KBC823", loc, None, address, date=day.isoformat())

    def _account(self, parent: Any, name: str, loc: Loc) -> str | None:
        """Check an account; return its IBAN in the form accounts are compared in, when it has one."""
        account = self.find(parent, name)
        if account is None:
            self._missing(parent, name, loc)
            return None
        where = (*loc, name)
        currency = self.find(account, "Ccy")
        if currency is not None:
            self._check(check_currency, currency, (*where, "Ccy"))
        number = self.find(account, "Id/IBAN")
        if number is None:
            other = self.find(account, "Id/Othr/Id")
            if other is not None:
                self._report("KBC820", (*where, "Id", "Othr"), f"Othr/Id {_text(other)!r}", other)
            return None
        text = self._check(check_iban, number, (*where, "Id", "IBAN"))
        return comparable(text) if text else None

    def _agent(self, parent: Any, name: str, loc: Loc) -> None:
        code = self.find(parent, f"{name}/FinInstnId/{self.version.bic}")
        if code is not None:
            self._check(check_bic, code, (*loc, name, "FinInstnId", self.version.bic))

    def _remittance(self, transaction: Any, loc: Loc) -> None:
        remittance = self.find(transaction, "RmtInf")
        if remittance is None:
            return
        where = (*loc, "RmtInf")
        texts, structured = remittance.findall(self.q + "Ustrd"), remittance.findall(self.q + "Strd")
        for name, found in (("Ustrd", texts), ("Strd", structured)):
            if len(found) > 1:
                self._report("KBC816", (*where, name, 1), None, found[1], count=len(found), element=name)
        if texts and structured:
            self._report("KBC600", (*where, "Strd"), None, structured[0])
        if texts:
            self._check(check_unstructured, texts[0], (*where, "Ustrd"))
        if structured:
            self._structured(structured[0], (*where, "Strd"))

    def _structured(self, structured: Any, loc: Loc) -> None:
        for child in structured:
            if isinstance(child.tag, str) and _local(child) != "CdtrRefInf":
                self._report("KBC821", (*loc, _local(child)), None, child, element=_local(child))
        info = self.find(structured, "CdtrRefInf")
        if info is None:
            return
        where = (*loc, "CdtrRefInf")
        kind = self.find(info, "Tp/CdOrPrtry/Cd")
        proprietary = self.find(info, "Tp/CdOrPrtry/Prtry")
        if kind is not None and _text(kind) and _text(kind) != "SCOR":
            self._report("KBC817", (*where, "Tp", "CdOrPrtry", "Cd"), _text(kind), kind)
        elif kind is None and proprietary is not None:
            self._report("KBC817", (*where, "Tp", "CdOrPrtry", "Prtry"), _text(proprietary), proprietary)
        issuer_element = self.find(info, "Tp/Issr")
        issuer = _text(issuer_element) if issuer_element is not None else None
        if issuer and issuer.upper() not in ("BBA", "ISO"):
            self._report("KBC818", (*where, "Tp", "Issr"), issuer, issuer_element)
        reference = self.find(info, "Ref")
        if reference is None:
            self._missing(info, "Ref", where)
            return
        text = self._check(check_text, reference, (*where, "Ref"), IDENTIFIER_MAX, identifier=True)
        scheme = reference_scheme(text, issuer) if text else None
        if scheme == "ogm" and ogm_vcs.is_decorated(text or ""):
            self._report("KBC819", (*where, "Ref"), text, reference)
        if scheme is not None:
            self._check(check_ogm if scheme == "ogm" else check_rf, reference, (*where, "Ref"))

    def repeat_body(self, transaction: Any) -> dict[str, Any]:
        """What the repeated-payment rules compare of a transaction, as a JSON body holds it."""
        iban, amount = _text(self.find(transaction, "CdtrAcct/Id/IBAN")), _text(self.find(transaction, "Amt/InstdAmt"))
        reference = _text(self.find(transaction, "RmtInf/Strd/CdtrRefInf/Ref")) or _text(
            self.find(transaction, "RmtInf/Ustrd"))
        return payment_body(_text(self.find(transaction, "PmtId/EndToEndId")) or None,
                            comparable(iban) if iban else None, _normal_decimal(amount) if amount else None,
                            reference or None)

    def _repeats(self, transaction: Any, loc: Loc) -> None:
        for issue in self.repeats.observe(self.repeat_body(transaction), transaction.sourceline or 0):
            where = (*loc, "PmtId", "EndToEndId") if issue.code == "KBC907" else loc
            element = self.find(transaction, "PmtId/EndToEndId") if issue.code == "KBC907" else transaction
            line, column = self.place(element if element is not None else transaction)
            self.ctx.issues.append(replace(issue, loc=where, line=line, column=column))

    # -- the whole document -------------------------------------------------------------------------------------

    def document_end(self) -> None:
        self._compare(self.group, "message")

    def _compare(self, declared: Declared, scope: str) -> None:
        if declared.count_text is not None and declared.count_at is not None and declared.count_text.isdigit() \
                and int(declared.count_text) != declared.count:
            loc, line, column = declared.count_at
            issue = finding("KBC810", loc, declared.count_text, scope=scope, count=declared.count)
            self.ctx.issues.append(replace(issue, line=line, column=column))
        if declared.sum_text is None or declared.sum_at is None or not declared.total_known:
            return
        try:
            stated = Decimal(declared.sum_text)
        except InvalidOperation:
            return  # the schema reports a control sum that is not a decimal
        if stated != declared.total:
            loc, line, column = declared.sum_at
            issue = finding("KBC811", loc, declared.sum_text, scope=scope, total=format(declared.total, "f"))
            self.ctx.issues.append(replace(issue, line=line, column=column))


def payment_body(e2e: str | None, creditor: str | None, amount: str | None, reference: str | None) -> dict[str, Any]:
    """The members of a transaction the repeated-payment rules compare, as a JSON body holds them."""
    body: dict[str, Any] = {}
    if e2e:
        body["endToEndIdentification"] = e2e
    if creditor is not None and amount is not None:
        body["creditorAccount"] = {"iban": creditor}
        body["instructedAmount"] = {"amount": amount}
        if reference:
            body["remittanceInformationUnstructured"] = reference
    return body


def _normal_decimal(text: str) -> str:
    """An XSD decimal as a JSON amount is written: no '+', no whitespace, digits on both sides of a '.'."""
    match = _XSD_DECIMAL.fullmatch(text)
    if match is None or not (match.group(2) or match.group(3)):
        return text
    sign, whole, decimals = match.groups()
    number = (whole or "0") + (f".{decimals}" if decimals else "")
    return ("-" if sign == "-" else "") + number


def _text(element: Any) -> str:
    if element is None:
        return ""
    text = element.text
    return text.strip() if text else ""


def _local(element: Any) -> str:
    tag = element.tag
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""
