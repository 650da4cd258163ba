"""KBC's rules on a pain.001 document beyond its schema, element by element, in the rules' own modules' terms.

Each value is checked by the rule that checks the same member of a JSON body (`pain001.values`: IBANs, BICs,
amounts, currencies, execution dates, texts, identifiers, structured communications), at the element's own
location: ``("PmtInf", 0, "CdtTrfTxInf", 1, "CdtrAcct", "Id", "IBAN")``. What only a pain.001 file has (counts and
control sums, payment method, service level, charge bearer, creditor reference type and issuer, address lines) has
codes of its own (KBC81x-82x). Where KBC is silent, a finding is a warning. An element whose text is empty is left
to the schema, which reports it.

A transaction of the usual shape is read from its text (`pain001.quick`); any other from its elements.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal, InvalidOperation
from re import Match
from typing import Any

from kbc_validate.findings import Issue, Loc, finding
from kbc_validate.pain001.quick import START_TAGS, TextPlaces, transaction_pattern
from kbc_validate.pain001.repeat_log import RepeatLog, payment_body
from kbc_validate.pain001.values import ValueChecks, normal_decimal, reference_kind
from kbc_validate.pain001.versions import Version
from kbc_validate.rules.account import comparable
from kbc_validate.rules.context import Context

ADDRESS_LINES_MAX = 2
STRUCTURED_ADDRESSES_FROM = date(2026, 11, 15)  # EPC153-22: no address in AdrLine only from this date
_ADDRESS_PARTS = (("StrtNm", "text70"), ("BldgNb", "text16"), ("PstCd", "text16"), ("TwnNm", "text35"))
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
    at: tuple[Loc, int, int] = ((), 1, 1)  # the block's own place
    debtor: str | None = None
    execution_day: date | None = None
    service_level: bool = False  # given for the whole block
    unleveled: bool = False  # a transaction has no service level, and the block gives none


class DocumentRules:
    """The rules of one document, fed its elements as they are read; findings collect in ``issues``."""

    def __init__(self, version: Version, today: date, repeats: RepeatLog) -> None:
        self.version = version
        self.ctx = Context(today)
        self.values = ValueChecks(today)
        self.repeats = repeats
        self.q = f"{{{version.namespace}}}"
        self.quick = transaction_pattern(version.bic)
        self.group = Declared()
        self.block: Block | None = None
        self.blocks = 0
        self.transactions = 0
        self.transaction_index = 0  # of the transaction last read, within its block
        self.place: Place = lambda element: (element.sourceline or 1, 1)
        self._paths: dict[str, tuple[str, ...]] = {}
        self._children: dict[int, tuple[Any, dict[str, Any]]] = {}

    @property
    def issues(self) -> list[Issue]:
        return self.ctx.issues

    # -- elements and where findings are ------------------------------------------------------------------------

    def find(self, element: Any, path: str) -> Any:
        """The first element at `path` (local names joined by '/') below `element`, or None.

        Hot path: each element's children are looked at once and kept in a table (lxml's own ``find`` parses its
        path at every call, about 2.7 us); the tables are dropped with `forget` when the element is read.
        """
        parts = self._paths.get(path)
        if parts is None:
            parts = self._paths[path] = tuple(self.q + part for part in path.split("/"))
        node = element
        for part in parts:
            known = self._children.get(id(node))
            if known is None:
                table: dict[str, Any] = {}
                for child in node:
                    table.setdefault(child.tag, child)
                self._children[id(node)] = (node, table)  # the node is kept: its id stays its own
            else:
                table = known[1]
            node = table.get(part)
            if node is None:
                return None
        return node

    def forget(self) -> None:
        """Drop the children tables of the elements read so far."""
        self._children.clear()

    def _add(self, issues: tuple[Issue, ...], loc: Loc, place: tuple[int, int]) -> None:
        self.ctx.issues.extend(replace(issue, loc=loc, line=place[0], column=place[1]) for issue in issues)

    def _value(self, kind: str, element: Any, loc: Loc) -> str:
        """Check an element's text as a value of `kind` (an empty one is the schema's); return the text."""
        text = _text(element)
        if text:
            issues = self.values.issues(kind, text)
            if issues:
                self._add(issues, loc, self.place(element))
        return text

    def _report(self, code: str, loc: Loc, value: Any, at: Any, **ctx: Any) -> None:
        """Report rule `code` at `loc`, placed at the element `at`."""
        line, column = self.place(at)
        self.ctx.issues.append(replace(finding(code, loc, value, **ctx), line=line, column=column))

    def _missing(self, parent: Any, name: str, loc: Loc) -> None:
        self._report("KBC923", (*loc, name), None, parent, element=name, parent=_local(parent))

    # -- group header -------------------------------------------------------------------------------------------

    def group_header(self, header: Any) -> None:
        self.forget()
        loc: Loc = ("GrpHdr",)
        identifier = self.find(header, "MsgId")
        if identifier is not None:
            self._value("identifier", identifier, (*loc, "MsgId"))
        self.group = self._declared(header, loc)
        party = self.find(header, "InitgPty/Nm")
        if party is not None:
            self._value("name", party, (*loc, "InitgPty", "Nm"))

    def _declared(self, header: Any, loc: Loc) -> Declared:
        declared = Declared()
        count, total = self.find(header, "NbOfTxs"), self.find(header, "CtrlSum")
        if count is not None:
            declared.count_text, declared.count_at = _text(count), ((*loc, "NbOfTxs"), *self.place(count))
        if total is not None:
            declared.sum_text, declared.sum_at = _text(total), ((*loc, "CtrlSum"), *self.place(total))
        return declared

    # -- payment information block ------------------------------------------------------------------------------

    def start_block(self, block: Any) -> Block:
        """Start reading a block, at its first transaction (read by the compiled pass)."""
        state = self._start_block(block)
        self.forget()
        return state

    def _start_block(self, block: Any) -> Block:
        index = self.blocks
        self.blocks += 1
        loc: Loc = ("PmtInf", index)
        state = self.block = Block(index, self._declared(block, loc), (loc, *self.place(block)))
        self.repeats.block_started(self.transactions)
        identifier = self.find(block, "PmtInfId")
        if identifier is not None:
            self._value("identifier", identifier, (*loc, "PmtInfId"))
        method = self.find(block, "PmtMtd")
        if method is not None and _text(method) not in ("", "TRF"):
            self._report("KBC812", (*loc, "PmtMtd"), _text(method), method)
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
        at, name = (code, "Cd") if code is not None else (self.find(level, "Prtry"), "Prtry")
        value = _text(at)
        if value and value != "SEPA":
            self._report("KBC813", (*loc, "PmtTpInf", "SvcLvl", name), value, at)
        return True

    def _execution_date(self, block: Any, loc: Loc, state: Block) -> None:
        when = self.find(block, "ReqdExctnDt")
        where: Loc = (*loc, "ReqdExctnDt")
        if when is not None and self.version.dated_execution:
            name = "Dt" if self.find(when, "Dt") is not None else "DtTm"
            when, where = self.find(when, name), (*where, name)
        text = _text(when).strip()  # xs:date and xs:dateTime collapse white space
        if not text or ("T" in text and len(text) < 11):
            return
        day = text[:10] if "T" in text else text  # a DtTm's day; a malformed one is the schema's
        issues = self.values.issues("execution_date", day)
        if issues:
            self._add(issues, where, self.place(when))
        try:
            state.execution_day = date.fromisoformat(day) if len(day) == 10 else None
        except ValueError:
            state.execution_day = None

    def _charge_bearer(self, parent: Any, loc: Loc) -> None:
        bearer = self.find(parent, "ChrgBr")
        if bearer is not None and _text(bearer) not in ("", "SLEV"):
            self._report("KBC815", (*loc, "ChrgBr"), _text(bearer), bearer)

    def block_end(self, block: Any) -> None:
        """The block's counts and sums, once its last transaction is read."""
        self.forget()
        state = self.block
        if state is None:  # a block without transactions: the schema says so; its header is still checked
            state = self._start_block(block)
            self.forget()
        self._compare(state.declared, "payment information block")
        if state.unleveled:
            loc, line, column = state.at
            self.ctx.issues.append(replace(finding("KBC814", loc, None), line=line, column=column))
        self.block = None

    # -- transactions -------------------------------------------------------------------------------------------

    def transaction(self, transaction: Any, text: TextPlaces | None = None, span: tuple[int, int] = (-1, -1)) -> None:
        """Check one transaction; `text` and the `span` of the transaction in it when the piece holds its text."""
        block = self.block
        if block is None:
            block = self._start_block(transaction.getparent())
        self.forget()
        index = self.transaction_index = block.declared.count
        self.transactions += 1
        loc: Loc = ("PmtInf", block.index, "CdtTrfTxInf", index)
        start, end = span
        written = self.quick.fullmatch(text.text, start, end) if text is not None and start >= 0 else None
        if written is not None:
            self._written(written, loc, block, text)  # type: ignore[arg-type]
        else:
            self._elements(transaction, loc, block)
            self.forget()

    def _written(self, match: Match[str], loc: Loc, block: Block, text: TextPlaces) -> None:
        """A transaction of the usual shape, from its text: the same checks, in the same order, as `_elements`."""
        values = {name: value for name, value in match.groupdict().items() if value is not None}

        def check(kind: str, name: str, where: Loc) -> None:
            value = values.get(name)
            if value:
                issues = self.values.issues(kind, value)
                if issues:
                    self._add(issues, where, text.place(match.start(name) - START_TAGS[name]))

        check("identifier", "instr", (*loc, "PmtId", "InstrId"))
        check("identifier", "e2e", (*loc, "PmtId", "EndToEndId"))
        amount_at = text.text.rfind("<InstdAmt", 0, match.start("amount"))
        amount = self._amount_value(values.get("ccy", ""), values["amount"], (*loc, "Amt", "InstdAmt"),
                                    lambda: text.place(amount_at))
        block.declared.add(amount)
        self.group.add(amount)
        if not block.service_level:
            block.unleveled = True
        if values.get("bic"):
            issues = self.values.issues("bic", values["bic"])
            if issues:
                at = match.start("bic") - len(f"<{self.version.bic}>")
                self._add(issues, (*loc, "CdtrAgt", "FinInstnId", self.version.bic), text.place(at))
        check("name", "name", (*loc, "Cdtr", "Nm"))
        creditor = values["iban"]
        check("iban", "iban", (*loc, "CdtrAcct", "Id", "IBAN"))
        iban_at = match.start("iban") - START_TAGS["iban"]
        if creditor and block.debtor is not None and comparable(creditor) == block.debtor:
            issue = finding("KBC320", (*loc, "CdtrAcct", "Id", "IBAN"), creditor)
            self._add((issue,), issue.loc, text.place(iban_at))
        check("unstructured", "ustrd", (*loc, "RmtInf", "Ustrd"))
        where = (*loc, "RmtInf", "Strd", "CdtrRefInf")
        issuer = values.get("issuer")
        if issuer and issuer.upper() not in ("BBA", "ISO"):
            issue = finding("KBC818", (*where, "Tp", "Issr"), issuer)
            self._add((issue,), issue.loc, text.place(match.start("issuer") - START_TAGS["issuer"]))
        if match.start("ref") >= 0:
            check(reference_kind(issuer), "ref", (*where, "Ref"))
        reference = values.get("ref") or values.get("ustrd")
        body = payment_body(values.get("e2e"), creditor, values["amount"], reference)
        e2e_at = match.start("e2e") - START_TAGS["e2e"]
        self.repeats.observe(body, self.transactions - 1, (*text.place(match.start()), *text.place(e2e_at)))

    def _elements(self, transaction: Any, loc: Loc, block: Block) -> None:
        """A transaction of any shape, from its elements (the reference path)."""
        for name in ("InstrId", "EndToEndId"):
            element = self.find(transaction, f"PmtId/{name}")
            if element is not None:
                self._value("identifier", element, (*loc, "PmtId", name))
        amount = self._amount(transaction, loc)
        block.declared.add(amount)
        self.group.add(amount)
        if not self._payment_type(transaction, loc) and not block.service_level:
            block.unleveled = True
        self._charge_bearer(transaction, loc)
        self._agent(transaction, "CdtrAgt", loc)
        self._party(transaction, "Cdtr", loc, mandatory=True)
        creditor = self._account(transaction, "CdtrAcct", loc)
        if creditor is not None and block.debtor is not None and creditor == block.debtor:
            number = self.find(transaction, "CdtrAcct/Id/IBAN")
            self._report("KBC320", (*loc, "CdtrAcct", "Id", "IBAN"), _text(number), number)
        self._party(transaction, "UltmtCdtr", loc, mandatory=False)
        self._remittance(transaction, loc)
        e2e = self.find(transaction, "PmtId/EndToEndId")
        self.repeats.observe(self.repeat_body(transaction), self.transactions - 1,
                             (*self.place(transaction), *self.place(e2e if e2e is not None else transaction)))

    def _amount(self, transaction: Any, loc: Loc) -> Decimal | None:
        """Check the instructed amount and its currency; return the amount, when it is a decimal."""
        amount = self.find(transaction, "Amt/InstdAmt")
        if amount is None:
            if self.find(transaction, "Amt/EqvtAmt") is not None:
                self._missing(self.find(transaction, "Amt"), "InstdAmt", (*loc, "Amt"))
            return None
        return self._amount_value(amount.get("Ccy") or "", _text(amount), (*loc, "Amt", "InstdAmt"),
                                  lambda: self.place(amount))

    def _amount_value(self, currency: str, text: str, loc: Loc, place: Callable[[], tuple[int, int]]
                      ) -> Decimal | None:
        if currency:
            issues = self.values.issues("currency", currency)
            if issues:
                self._add(issues, (*loc, "@Ccy"), place())
        if not text:
            return None
        issues = self.values.issues("amount", text)
        if issues:
            self._add(issues, loc, place())
        try:
            return Decimal(normal_decimal(text))
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
            self._value("name", party_name, (*where, "Nm"))
        address = self.find(party, "PstlAdr")
        if address is not None:
            self._address(address, (*where, "PstlAdr"))

    def _address(self, address: Any, loc: Loc) -> None:
        lines = address.findall(self.q + "AdrLine")
        for number, line in enumerate(lines):
            self._value("text70", line, (*loc, "AdrLine", number))
        for name, kind in _ADDRESS_PARTS:
            element = self.find(address, name)
            if element is not None:
                self._value(kind, element, (*loc, name))
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
            self._value("currency", currency, (*where, "Ccy"))
        number = self.find(account, "Id/IBAN")
        if number is None:
            other = self.find(account, "Id/Othr/Id")
            if other is not None:
                self._report("KBC820", (*where, "Id", "Othr"), _text(other), other)
            return None
        text = self._value("iban", number, (*where, "Id", "IBAN"))
        return comparable(text) if text else None

    def _agent(self, parent: Any, name: str, loc: Loc) -> None:
        code = self.find(parent, f"{name}/FinInstnId/{self.version.bic}")
        if code is not None:
            self._value("bic", code, (*loc, name, "FinInstnId", self.version.bic))

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
            self._value("unstructured", texts[0], (*where, "Ustrd"))
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
        if kind is not None and _text(kind) not in ("", "SCOR"):
            self._report("KBC817", (*where, "Tp", "CdOrPrtry", "Cd"), _text(kind), kind)
        elif kind is None and proprietary is not None:
            self._report("KBC817", (*where, "Tp", "CdOrPrtry", "Prtry"), _text(proprietary), proprietary)
        issuer_element = self.find(info, "Tp/Issr")
        issuer = _text(issuer_element) or None
        if issuer and issuer.upper() not in ("BBA", "ISO"):
            self._report("KBC818", (*where, "Tp", "Issr"), issuer, issuer_element)
        reference = self.find(info, "Ref")
        if reference is None:
            self._missing(info, "Ref", where)
        else:
            self._value(reference_kind(issuer), reference, (*where, "Ref"))

    def repeat_body(self, transaction: Any) -> dict[str, Any]:
        """What the repeated-payment rules compare of a transaction, as a JSON body holds it."""
        reference = _text(self.find(transaction, "RmtInf/Strd/CdtrRefInf/Ref")) or _text(
            self.find(transaction, "RmtInf/Ustrd"))
        return payment_body(_text(self.find(transaction, "PmtId/EndToEndId")),
                             _text(self.find(transaction, "CdtrAcct/Id/IBAN")),
                             _text(self.find(transaction, "Amt/InstdAmt")), reference)

    # -- the whole document -------------------------------------------------------------------------------------

    def document_end(self) -> None:
        self._compare(self.group, "message")

    def _compare(self, declared: Declared, scope: str) -> None:
        if declared.count_text and declared.count_at and declared.count_text.strip().isdigit() \
                and int(declared.count_text) != declared.count:
            loc, line, column = declared.count_at
            issue = finding("KBC810", loc, declared.count_text, scope=scope, count=declared.count)
            self.ctx.issues.append(replace(issue, line=line, column=column))
        if not declared.sum_text or declared.sum_at is None or not declared.total_known:
            return
        try:
            stated = Decimal(declared.sum_text)
        except InvalidOperation:
            return  # the schema reports a control sum that is not a decimal
        if stated != declared.total:
            loc, line, column = declared.sum_at
            issue = finding("KBC811", loc, declared.sum_text, scope=scope, total=format(declared.total, "f"))
            self.ctx.issues.append(replace(issue, line=line, column=column))


def _text(element: Any) -> str:
    """An element's text as the schema's types read it: names, identifiers and codes keep their white space (an
    ``xs:string`` does); the amount and date rules collapse it where their types do."""
    if element is None:
        return ""
    return element.text or ""


def _local(element: Any) -> str:
    tag = element.tag
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""
