"""The catalogue of rules: the single source of truth for every finding kbc-validate can report.

A code is stable: it is never renumbered or reused. A rule is named after the problem, not the fix. The message
template names the offending value (``{value}``) and says what is wrong; advice lives in ``doc``. The
documentation's rule pages (``docs/generate.py``), ``--explain``, SARIF rule metadata and the pydantic error types
are derived from this table.

Codes are grouped by area: KBC1xx body shape, KBC2xx amount and currency, KBC3xx accounts and agents,
KBC4xx dates, KBC5xx standing-order schedule, KBC6xx remittance information, KBC7xx text, KBC8xx bulk (800-809:
Berlin Group JSON bulk bodies; 810-829: pain.001 XML bulk files), KBC9xx outside the body: payment files (900-919:
JSON syntax, CSV structure, repeated payments; 920-929: XML documents and their schema), the request
(950-959: method, path, product, headers) and the 401/403 preconditions (970-989: client certificate, access
token, screen-scraping identifier).
"""

from __future__ import annotations

from dataclasses import dataclass

from kbc_validate.causes import Cause, Severity

_E = Severity.ERROR
_W = Severity.WARNING


@dataclass(frozen=True, slots=True)
class Rule:
    """One rule: its stable `code` and `name`, the `cause` and `severity` of its findings, the message `template`
    (``{value}`` and the other fields a finding fills in) and the `doc` that says what it checks and why."""

    code: str
    name: str
    cause: Cause
    severity: Severity
    template: str
    doc: str

    @property
    def berlin_group_code(self) -> str:
        return self.cause.berlin_group_code


def _rule(code: str, name: str, cause: Cause, severity: Severity, template: str, doc: str) -> Rule:
    return Rule(code, name, cause, severity, template, doc)


C = Cause
RULES: tuple[Rule, ...] = (
    # KBC1xx: body shape
    _rule("KBC100", "body-not-object", C.INVALID_FORMAT, _E,
          "The request body is {value}, not a JSON object.",
          "A payment initiation body is a JSON object whose members are the Berlin Group payment fields."),
    _rule("KBC101", "missing-required-member", C.MISSING_MANDATORY_PARAMETER, _E,
          "The mandatory member {member} is missing.",
          "KBC refuses a request without a mandatory parameter. Single and periodic payments need instructedAmount, "
          "creditorAccount and creditorName (debtorAccount is optional at KBC); periodic payments add startDate and "
          "frequency; bulk bodies need debtorAccount and payments."),
    _rule("KBC102", "required-member-null", C.MISSING_MANDATORY_PARAMETER, _E,
          "The mandatory member {member} is null.",
          "A JSON null is no value: a mandatory member set to null is as missing as an absent one."),
    _rule("KBC103", "wrong-json-type", C.INVALID_FORMAT, _E,
          "Expected {expected} here, got {value}.",
          "Berlin Group members have fixed JSON types: amounts, dates and identifiers are strings, accounts and "
          "amounts are objects. A number where a string is expected is a format error, even when it looks right."),
    _rule("KBC104", "unknown-member", C.INVALID_FORMAT, _W,
          "The member {member} is not part of this payment body{hint}.",
          "KBC documents that unsupported optional parameters are 'in most cases' ignored; they are often a typo of "
          "a real member name, whose value is then lost."),
    _rule("KBC105", "optional-member-null", C.INVALID_FORMAT, _W,
          "The optional member {member} is null.",
          "Leave an optional member out rather than sending null; some servers read null as a format error."),
    # KBC2xx: amount and currency
    _rule("KBC200", "amount-not-positive", C.AMOUNT_NOT_POSITIVE, _E,
          "The amount {value} is not greater than zero.",
          "KBC refuses amounts of zero or less. Berlin Group's own pattern admits '0' and '-5.00', so a schema "
          "check alone does not catch them."),
    _rule("KBC201", "amount-malformed", C.INVALID_FORMAT, _E,
          "The amount {value} is not a decimal number written as digits with an optional '.' and decimals.",
          "Amounts are strings of ASCII digits with a dot as decimal separator ('1056', '5768.2'): no sign, "
          "exponent, spaces, separators, decimal comma or non-ASCII digits."),
    _rule("KBC202", "amount-too-many-decimals", C.INVALID_FORMAT, _E,
          "The amount {value} has {decimals} decimals; euro amounts have at most 2.",
          "SEPA credit transfers carry euro cents: at most two decimals."),
    _rule("KBC203", "amount-over-maximum", C.INVALID_FORMAT, _E,
          "The amount {value} is over the SEPA maximum of 999999999.99.",
          "The EPC SEPA Credit Transfer rulebook limits an amount to 999999999.99 EUR."),
    _rule("KBC204", "amount-leading-zeros", C.INVALID_FORMAT, _W,
          "The amount {value} has leading zeros.",
          "Leading zeros are legal digits but unusual; they often come from a fixed-width export."),
    _rule("KBC210", "currency-not-eur", C.CURRENCY_NOT_EUR, _E,
          "The currency {value} is not EUR.",
          "KBC initiates SEPA credit transfers only, and SEPA credit transfers are in euro."),
    _rule("KBC211", "currency-malformed", C.INVALID_FORMAT, _E,
          "The currency {value} is not a three-letter ISO 4217 code.",
          "Currencies are three upper-case letters; the only accepted one is 'EUR'."),
    # KBC3xx: accounts and agents
    _rule("KBC301", "multiple-account-identifiers", C.INVALID_FORMAT, _E,
          "The account reference carries several identifiers: {value}.",
          "An account reference holds exactly one identifier; Berlin Group servers refuse several at once."),
    _rule("KBC302", "iban-invalid-characters", C.INVALID_FORMAT, _E,
          "The IBAN {value} contains characters other than upper-case letters and digits.",
          "In a request body an IBAN is written in its electronic form: upper case, no spaces or separators."),
    _rule("KBC303", "iban-malformed-prefix", C.INVALID_FORMAT, _E,
          "The IBAN {value} does not start with a two-letter country code and two check digits.",
          "Every IBAN starts with an ISO 3166 country code and two check digits."),
    _rule("KBC304", "iban-unknown-country", C.INVALID_ACCOUNT, _E,
          "The IBAN {value} has country code {country}, which is not in the IBAN registry.",
          "Only countries in the SWIFT IBAN registry issue IBANs."),
    _rule("KBC305", "iban-wrong-length", C.INVALID_ACCOUNT, _E,
          "The IBAN {value} has {length} characters; {country} IBANs have {expected}.",
          "Each country fixes the length of its IBANs (Belgium: 16)."),
    _rule("KBC306", "iban-bban-structure", C.INVALID_ACCOUNT, _E,
          "The IBAN {value} does not follow the {country} account number structure.",
          "Each country fixes which BBAN positions are digits and which are letters."),
    _rule("KBC307", "iban-check-digits-out-of-range", C.INVALID_ACCOUNT, _E,
          "The IBAN {value} has check digits {check}; valid check digits are 02 to 98.",
          "ISO 13616 check digits are 98 minus a remainder, so 00, 01 and 99 are never issued, even where the "
          "mod 97 test would pass (python-stdnum accepts them)."),
    _rule("KBC308", "iban-checksum", C.INVALID_ACCOUNT, _E,
          "The IBAN {value} fails the ISO 13616 mod 97 check.",
          "The check digits do not match the rest of the IBAN: usually a typing error."),
    _rule("KBC309", "iban-national-check", C.INVALID_ACCOUNT, _E,
          "The IBAN {value} fails the {country} national check digits.",
          "Some countries put check digits inside the BBAN. A Belgian BBAN ends with the first ten digits mod 97 "
          "(97 when that is 0); Spain, Norway and Montenegro are checked with python-stdnum."),
    _rule("KBC310", "iban-outside-sepa", C.INVALID_ACCOUNT, _E,
          "The IBAN {value} is from {country}, which is outside the SEPA schemes' geographical scope.",
          "SEPA credit transfers reach only accounts in the EPC list of countries and territories in the SEPA "
          "schemes' geographical scope."),
    _rule("KBC311", "be-bank-code-unassigned", C.INVALID_ACCOUNT, _W,
          "The Belgian IBAN {value} has bank code {bank_code}, which the National Bank of Belgium lists as unassigned.",
          "The first three BBAN digits identify the bank; the NBB list (shipped with python-stdnum) may lag new "
          "assignments, so this is a warning."),
    _rule("KBC320", "same-debtor-and-creditor-account", C.SAME_DEBTOR_AND_CREDITOR_ACCOUNT, _E,
          "The creditor account {value} is the debtor account.",
          "KBC refuses a transfer from an account to itself. Accounts are compared without spaces, in upper case."),
    _rule("KBC330", "bic-malformed", C.INVALID_FORMAT, _E,
          "The BIC {value} is not 8 or 11 characters of the form AAAABBCC or AAAABBCCDDD.",
          "Berlin Group's bicfi pattern: [A-Z]{6}[A-Z2-9][A-NP-Z0-9]([A-Z0-9]{3})?."),
    _rule("KBC331", "address-country-malformed", C.INVALID_FORMAT, _E,
          "The address country {value} is not a two-letter ISO 3166 code.",
          "Address countries are two upper-case letters."),
    # KBC4xx: dates
    _rule("KBC400", "date-malformed", C.INVALID_FORMAT, _E,
          "The date {value} is not a real calendar day written YYYY-MM-DD.",
          "Dates are ISO 8601 full dates ('2026-12-01'); '20261201', '2026-W49-2' and '2026-02-30' are refused."),
    _rule("KBC401", "execution-date-in-past", C.EXECUTION_DATE_IN_PAST, _E,
          "The date {value} is before today ({today}, Europe/Brussels).",
          "KBC refuses execution dates in the past. Today is allowed; 'today' is the date in Brussels, not UTC."),
    _rule("KBC402", "execution-date-weekend", C.INVALID_EXECUTION_DATE, _E,
          "The execution date {value} is a {weekday}.",
          "KBC's FAQ names weekends as invalid execution dates."),
    _rule("KBC403", "execution-date-target-closed", C.INVALID_EXECUTION_DATE, _E,
          "The execution date {value} is a TARGET2 closing day ({holiday}).",
          "SEPA settles on TARGET2 business days; TARGET2 closes on 1 January, Good Friday, Easter Monday, 1 May, "
          "25 and 26 December."),
    _rule("KBC404", "execution-date-belgian-bank-holiday", C.INVALID_EXECUTION_DATE, _W,
          "The execution date {value} is a Belgian bank holiday ({holiday}).",
          "TARGET2 is open, but Belgian banks may execute the payment on the next banking day."),
    _rule("KBC405", "execution-date-far-ahead", C.INVALID_EXECUTION_DATE, _W,
          "The date {value} is more than 365 days after today ({today}).",
          "KBC does not document a maximum; many banks refuse dates more than a year ahead."),
    _rule("KBC406", "date-time-malformed", C.INVALID_FORMAT, _E,
          "The date-time {value} is not an ISO 8601 date-time with a time zone.",
          "Berlin Group date-times follow RFC 3339: '2026-12-01T10:30:00+01:00' or '...Z'."),
    _rule("KBC410", "end-date-before-start-date", C.INVALID_EXECUTION_DATE, _E,
          "The end date {value} is before the start date {start}.",
          "A standing order's period cannot end before it starts."),
    # KBC5xx: standing-order schedule
    _rule("KBC500", "frequency-unknown", C.INVALID_FORMAT, _E,
          "The frequency {value} is not one of {expected}.",
          "Berlin Group frequency codes are case-sensitive."),
    _rule("KBC501", "day-of-execution-malformed", C.INVALID_FORMAT, _E,
          "The day of execution {value} is not a day number from \"1\" to \"31\" without leading zero.",
          "dayOfExecution is a string enum \"1\"..\"31\" (31 means the last day of the month); the spec's own "
          "example \"01\" is refused by its enum."),
    _rule("KBC502", "months-of-execution-without-monthly-variable", C.INVALID_FORMAT, _E,
          "monthsOfExecution is given with frequency {frequency}; it belongs only to MonthlyVariable.",
          "monthsOfExecution is contained if and only if the frequency is MonthlyVariable."),
    _rule("KBC503", "months-of-execution-missing", C.MISSING_MANDATORY_PARAMETER, _E,
          "The frequency MonthlyVariable needs monthsOfExecution.",
          "monthsOfExecution is contained if and only if the frequency is MonthlyVariable."),
    _rule("KBC504", "months-of-execution-malformed", C.INVALID_FORMAT, _E,
          "monthsOfExecution {value} is not a list of 1 to 11 distinct month numbers \"1\" to \"12\".",
          "Months are strings \"1\"..\"12\" without leading zero, each at most once, at most 11 of them."),
    _rule("KBC505", "execution-rule-unknown", C.INVALID_FORMAT, _E,
          "The execution rule {value} is neither \"following\" nor \"preceding\".",
          "executionRule says how a date falling on a non-business day moves."),
    # KBC6xx: remittance information
    _rule("KBC600", "both-remittance-forms", C.INVALID_FORMAT, _E,
          "Both unstructured and structured remittance information are given.",
          "EPC usage rules: unstructured and structured remittance information cannot be used together."),
    _rule("KBC601", "ogm-check-digits", C.INVALID_STRUCTURED_COMMUNICATION, _E,
          "The structured communication {value} has check digits {check}; its first ten digits give {expected}.",
          "A Belgian structured communication (OGM/VCS) ends with the first ten digits mod 97 (97 when that is 0)."),
    _rule("KBC602", "ogm-malformed", C.INVALID_STRUCTURED_COMMUNICATION, _E,
          "The reference {value} is issued by BBA but is not a 12-digit structured communication.",
          "With referenceIssuer BBA the reference must be a Belgian structured communication: 12 digits, or "
          "+++ddd/dddd/ddddd+++."),
    _rule("KBC603", "unstructured-digits-not-ogm", C.INVALID_STRUCTURED_COMMUNICATION, _W,
          "The unstructured text {value} is 12 digits that fail the structured communication check.",
          "Twelve bare digits look like a structured communication with a typo, but may be an invoice number."),
    _rule("KBC604", "rf-check-digits", C.INVALID_STRUCTURED_COMMUNICATION, _E,
          "The creditor reference {value} fails the ISO 11649 mod 97 check.",
          "An RF creditor reference carries two check digits after 'RF', checked with ISO 7064 mod 97-10."),
    _rule("KBC605", "rf-malformed", C.INVALID_STRUCTURED_COMMUNICATION, _E,
          "The reference {value} is issued by ISO but is not RF, two digits and 1 to 21 letters or digits.",
          "With referenceIssuer ISO the reference must be an ISO 11649 creditor reference."),
    # KBC7xx: text
    _rule("KBC700", "text-empty", C.INVALID_FORMAT, _E,
          "The text {value} is empty or blank.",
          "Send a text with content, or leave an optional member out."),
    _rule("KBC701", "text-too-long", C.INVALID_FORMAT, _E,
          "The text {value} has {length} characters; at most {max} are allowed here.",
          "Berlin Group and ISO 20022 lengths: names 70, remittance 140, identifiers 35."),
    _rule("KBC702", "identifier-characters", C.INVALID_FORMAT, _E,
          "The identifier {value} contains {char}, outside the SEPA character set.",
          "Identifiers (endToEndIdentification, structured references) travel unchanged between banks and must "
          "stay within a-z A-Z 0-9 / - ? : ( ) . , ' + and space."),
    _rule("KBC703", "text-forbidden-characters", C.INVALID_FORMAT, _E,
          "The text {value} contains {char}, which banks cannot carry or transliterate.",
          "Control and invisible characters, non-ASCII spaces, other scripts, fullwidth forms and emoji are refused."),
    _rule("KBC704", "text-transliterated-characters", C.INVALID_FORMAT, _W,
          "The text {value} contains {char}, outside the SEPA basic character set.",
          "Latin letters with diacritics and a few symbols are transliterated by banks ('é' becomes 'e'); what "
          "the creditor sees may differ from what was sent."),
    # KBC8xx: bulk
    _rule("KBC800", "bulk-payments-empty", C.INVALID_FORMAT, _E,
          "The bulk body's payments list is empty.",
          "A bulk payment carries at least one payment."),
    _rule("KBC801", "bulk-element-forbidden-member", C.INVALID_FORMAT, _E,
          "The bulk payment element carries {member}, which only the bulk body may carry.",
          "Berlin Group: debtorAccount, requestedExecutionDate and requestedExecutionTime may not be contained in "
          "any bulk entry."),
    _rule("KBC802", "bulk-body-not-pain001", C.PAYMENT_PRODUCT_UNKNOWN, _W,
          "KBC takes bulk payments only as pain.001 XML; it answers a JSON bulk body 404 PRODUCT_UNKNOWN.",
          "KBC offers bulk payments only as POST .../bulk-payments/pain.001 with a pain.001 XML body (checked by "
          "validate_pain001 and by kbc-validate on .xml files); bulk-payments/sepa-credit-transfers, the Berlin "
          "Group JSON bulk body, is a product KBC does not offer (validate_request reports KBC951). The body's "
          "payments are still checked, for a conversion to pain.001 or another bank, so this is a warning; "
          "--ignore KBC802 silences it."),
    # KBC81x-82x: pain.001 XML bulk files (what the official XSD does not check)
    _rule("KBC810", "number-of-transactions-mismatch", C.INVALID_FORMAT, _E,
          "NbOfTxs says {value}; the {scope} holds {count} transaction(s).",
          "ISO 20022 defines NbOfTxs as the number of individual transactions in the message (GrpHdr) or in the "
          "payment information block (PmtInf); banks check it to detect truncated or doctored files."),
    _rule("KBC811", "control-sum-mismatch", C.INVALID_FORMAT, _E,
          "CtrlSum says {value}; the amounts of the {scope} add up to {total}.",
          "ISO 20022 defines CtrlSum as the total of all individual amounts it covers, irrespective of currency; "
          "banks check it. kbc-validate adds the amounts as decimals, never as floating-point numbers."),
    _rule("KBC812", "payment-method-not-transfer", C.INVALID_FORMAT, _E,
          "The payment method {value} is not TRF.",
          "A SEPA credit transfer initiation has payment method TRF (EPC customer-to-bank guidelines); the schema "
          "also admits CHK (cheque) and TRA (transfer advice), which KBC's bulk credit transfers do not carry."),
    _rule("KBC813", "service-level-not-sepa", C.INVALID_FORMAT, _E,
          "The service level {value} is not SEPA.",
          "SEPA credit transfers carry service level code SEPA when a service level is given (EPC guidelines)."),
    _rule("KBC814", "service-level-missing", C.INVALID_FORMAT, _W,
          "The payment information block gives no service level; SEPA is recommended.",
          "The EPC recommends PmtTpInf/SvcLvl/Cd SEPA and some banks require it; KBC does not document its "
          "choice, so its absence is a warning."),
    _rule("KBC815", "charge-bearer-not-slev", C.INVALID_FORMAT, _E,
          "The charge bearer {value} is not SLEV.",
          "SEPA credit transfers share charges by the scheme's rules: ChrgBr, when present, is SLEV (EPC)."),
    _rule("KBC816", "remittance-repeated", C.INVALID_FORMAT, _E,
          "The remittance information carries {count} {element} elements; SEPA allows one.",
          "The schema lets Ustrd and Strd repeat; the EPC SEPA usage rules allow at most one of each (and never "
          "both: KBC600)."),
    _rule("KBC817", "reference-type-not-scor", C.INVALID_STRUCTURED_COMMUNICATION, _E,
          "The creditor reference type {value} is not SCOR.",
          "A structured creditor reference is typed CdOrPrtry/Cd SCOR (EPC usage rules; Febelfin)."),
    _rule("KBC818", "reference-issuer-unknown", C.INVALID_STRUCTURED_COMMUNICATION, _W,
          "The creditor reference issuer {value} is neither BBA nor ISO.",
          "Febelfin's guidelines know two issuers: BBA for a Belgian structured communication and ISO for an "
          "ISO 11649 RF reference. KBC does not document what it does with others, so this is a warning."),
    _rule("KBC819", "ogm-decorated-in-xml", C.INVALID_STRUCTURED_COMMUNICATION, _W,
          "The structured communication {value} is written with +++ or ***; pain.001 carries its 12 digits.",
          "In a pain.001 file a Belgian structured communication (issuer BBA) is written as its 12 digits "
          "(Febelfin: 'digital format: 12 digits'); the decorated paper form may be refused or altered."),
    _rule("KBC820", "account-not-iban", C.INVALID_ACCOUNT, _E,
          "The account is identified by {value}, not by an IBAN.",
          "SEPA credit transfers identify debtor and creditor accounts by IBAN only (Id/IBAN, never Id/Othr)."),
    _rule("KBC821", "structured-remittance-other-element", C.INVALID_FORMAT, _W,
          "The structured remittance information carries {element}; Belgian banks use only CdtrRefInf.",
          "Febelfin's guidelines allow only the creditor reference (CdtrRefInf) in Strd; other elements may be "
          "dropped. KBC is silent, so this is a warning."),
    _rule("KBC822", "address-lines-too-many", C.INVALID_FORMAT, _W,
          "The address carries {count} AdrLine elements; SEPA allows two.",
          "The pain.001.001.03 schema allows seven address lines; the EPC SEPA usage rules allow two."),
    _rule("KBC823", "address-unstructured", C.INVALID_FORMAT, _W,
          "The address is given in AdrLine only, without TwnNm and Ctry, for an execution on {date}.",
          "EPC guidance (EPC153-22): from 15 November 2026 addresses are structured or hybrid (TwnNm and Ctry at "
          "least). How KBC treats an address in AdrLine only is not documented, so this is a warning."),
    _rule("KBC824", "identifier-slashes", C.INVALID_FORMAT, _W,
          "The identifier {value} starts or ends with '/' or contains '//'.",
          "The EPC guidelines' character-set rules forbid a leading or trailing slash and a double slash in "
          "identifiers; some banks refuse them."),
    # KBC9xx: payment files
    _rule("KBC900", "invalid-json", C.INVALID_FORMAT, _E,
          "The JSON is not valid: {reason}.",
          "KBC parses the body strictly: a syntax error, a NaN or Infinity literal or a trailing comma is refused."),
    _rule("KBC901", "duplicate-json-key", C.INVALID_FORMAT, _E,
          "The member {member} appears more than once in the same object.",
          "JSON parsers disagree on which of two equal keys wins; KBC refuses the body rather than guess."),
    _rule("KBC902", "csv-missing-column", C.MISSING_MANDATORY_PARAMETER, _E,
          "The CSV header has no column for the mandatory member {member}.",
          "Each payment needs an amount, a creditor IBAN and a creditor name; name the columns with Berlin Group "
          "paths (creditorAccount.iban), the documented column names (creditor_iban, Rekening begunstigde, Compte du "
          "bénéficiaire), or map them with --column \"HEADER=member\"."),
    _rule("KBC903", "csv-ragged-row", C.INVALID_FORMAT, _E,
          "The row has {count} fields; the header has {expected}.",
          "A row with too many or too few fields usually holds an unquoted delimiter, such as a decimal comma in a "
          "comma-separated file."),
    _rule("KBC904", "csv-duplicate-column", C.INVALID_FORMAT, _E,
          "The CSV header names {member} more than once.",
          "Two columns for the same member make the payment ambiguous."),
    _rule("KBC905", "csv-unreadable-row", C.INVALID_FORMAT, _E,
          "The row cannot be read: {reason}.",
          "NUL bytes, undecodable bytes and fields over the size limit come from binary or corrupted exports."),
    _rule("KBC906", "csv-unknown-column", C.INVALID_FORMAT, _W,
          "The CSV column {member} is not a payment member or a known column name; it is ignored{hint}.",
          "Columns kbc-validate does not know are not validated; check the header for a typo, or map the column with "
          "--column."),
    _rule("KBC907", "repeated-end-to-end-identification", C.INVALID_FORMAT, _W,
          "The end-to-end identification {value} was already used on {first}.",
          "End-to-end identifications identify a payment from end to end; a repeated one usually means a row "
          "exported twice."),
    _rule("KBC908", "repeated-payment", C.INVALID_FORMAT, _W,
          "The same creditor, amount and reference already appear on {first}.",
          "Two identical payments in one file are often a duplicate row; check before sending both."),
    _rule("KBC909", "csv-blank-line", C.INVALID_FORMAT, _W,
          "The line is blank.",
          "Blank lines (lines of only delimiters too, which Excel writes for formatted empty rows) are skipped; "
          "they often mark where two exports were pasted together."),
    # KBC92x: XML documents (pain.001) and their schema
    _rule("KBC920", "xml-not-well-formed", C.INVALID_FORMAT, _E,
          "The document is not well-formed XML: {reason}.",
          "KBC parses a pain.001 file as XML before anything else; a syntax error refuses the whole file. Reading "
          "stops there: the transactions after it are not checked."),
    _rule("KBC921", "xml-doctype", C.INVALID_FORMAT, _E,
          "The document declares {value}; a pain.001 file has no DOCTYPE or entities, and this one is not read.",
          "ISO 20022 messages never need a document type declaration. Entities can read local files or expand "
          "without bound (XXE, billion laughs), so kbc-validate refuses such a document without parsing it."),
    _rule("KBC922", "xml-not-pain001", C.INVALID_FORMAT, _E,
          "The root element is {value}; a pain.001 file starts with Document in the pain.001.001.03 or "
          "pain.001.001.09 namespace.",
          "The namespace decides the version: urn:iso:std:iso:20022:tech:xsd:pain.001.001.03 (the Berlin Group "
          "specification) or ...pain.001.001.09 (Febelfin since March 2024). A bank refuses a message whose "
          "namespace is not a version it supports."),
    _rule("KBC923", "xml-element-missing", C.MISSING_MANDATORY_PARAMETER, _E,
          "{element} is missing from {parent}.",
          "Mandatory elements come from the official XSD and from the EPC SEPA usage rules (the debtor's and "
          "creditor's names, the creditor account)."),
    _rule("KBC924", "xml-element-unexpected", C.INVALID_FORMAT, _E,
          "{element} is not allowed here in {parent}; {expected}.",
          "The official XSD fixes which elements an element holds and in which order."),
    _rule("KBC925", "xml-value-invalid", C.INVALID_FORMAT, _E,
          "The value {value} of {element} is not allowed by the {version} schema: {reason}.",
          "The official XSD fixes each value's form: patterns (IBAN, BIC, currency), lengths, code lists, "
          "decimal places and dates."),
    _rule("KBC926", "xml-attribute-invalid", C.INVALID_FORMAT, _E,
          "In {element}, {reason}.",
          "The official XSD fixes which attributes an element carries (InstdAmt's Ccy) and their form."),
    _rule("KBC927", "xml-encoding-not-utf8", C.INVALID_FORMAT, _W,
          "The document is encoded in {value}; pain.001 files are exchanged in UTF-8.",
          "Febelfin and Isabel expect UTF-8. Another encoding is legal XML but may be refused or misread."),
    _rule("KBC928", "xml-schema-errors-capped", C.INVALID_FORMAT, _W,
          "The schema found {count} problems; the rest of the document is checked by the rules only.",
          "A file that repeats one schema mistake in every transaction would otherwise report it a million times "
          "and keep every report in memory; the rules beyond the schema still check every transaction."),
    # KBC95x: the request
    _rule("KBC950", "not-a-payment-initiation", C.PAYMENT_PRODUCT_UNKNOWN, _E,
          "{method} {value} is not a payment initiation (POST .../psd2/v2/{{payment-service}}/{{payment-product}}).",
          "Payment initiations are POST requests to /psd2/v2/payments, /periodic-payments or /bulk-payments, "
          "followed by the payment product."),
    _rule("KBC951", "payment-product-unknown", C.PAYMENT_PRODUCT_UNKNOWN, _E,
          "KBC does not offer {service}/{product}.",
          "KBC offers payments/sepa-credit-transfers, periodic-payments/sepa-credit-transfers and "
          "bulk-payments/pain.001; other services and products are answered 404 PRODUCT_UNKNOWN."),
    _rule("KBC952", "pain001-body-not-validated", C.INVALID_FORMAT, _W,
          "The pain.001 XML body of a bulk payment is not validated yet.",
          "No longer reported: validate_request now checks a pain.001 body with validate_pain001. It was a warning "
          "that kbc-validate checked the headers of a bulk-payments/pain.001 request but not its XML; the code is "
          "kept, never reused."),
    _rule("KBC953", "header-missing", C.MISSING_MANDATORY_PARAMETER, _E,
          "The request has no {header} header.",
          "KBC expects X-Request-ID, PSU-IP-Address, TPP-Redirect-URI and Content-Type on a payment initiation."),
    _rule("KBC954", "header-malformed", C.INVALID_FORMAT, _E,
          "The {header} header {value} is not {expected}.",
          "X-Request-ID is a UUID, PSU-IP-Address an IPv4 or IPv6 address, TPP-Redirect-URI an absolute https URI, "
          "Content-Type application/json (application/xml for pain.001)."),
    # KBC97x-98x: 401/403 preconditions
    _rule("KBC970", "client-certificate-missing", C.CLIENT_CERTIFICATE_MISSING, _E,
          "No client certificate is given.",
          "KBC's PSD2 APIs need an eIDAS PSD2 qualified certificate (QWAC) in the TLS 1.2 handshake."),
    _rule("KBC971", "client-certificate-unreadable", C.CLIENT_CERTIFICATE_INVALID, _E,
          "The client certificate cannot be read: {reason}.",
          "The certificate must be an X.509 certificate in PEM or DER form."),
    _rule("KBC972", "client-certificate-expired", C.CLIENT_CERTIFICATE_EXPIRED, _E,
          "The client certificate expired on {value}.",
          "An expired certificate is refused with 401 CERTIFICATE_EXPIRED."),
    _rule("KBC973", "client-certificate-not-yet-valid", C.CLIENT_CERTIFICATE_INVALID, _E,
          "The client certificate is valid only from {value}.",
          "A certificate used before its notBefore date is refused."),
    _rule("KBC974", "organization-identifier-not-psd2", C.CLIENT_CERTIFICATE_INVALID, _E,
          "The certificate subject's organizationIdentifier {value} is not of the PSD2 form PSDCC-NCA-ID.",
          "ETSI TS 119 495: PSD, the country, '-', the competent authority, '-', the authorisation number "
          "(PSDBE-NBB-0123456789). KBC uses it as the client_id."),
    _rule("KBC975", "psd2-statement-missing", C.PSP_ROLE_INVALID, _E,
          "The certificate has no ETSI PSD2 QCStatement.",
          "A PSD2 certificate carries the QCStatement 0.4.0.19495.2 listing the PSP's roles."),
    _rule("KBC976", "psd2-role-missing", C.PSP_ROLE_INVALID, _E,
          "The certificate's PSD2 roles {value} do not include {role}.",
          "Payment initiation needs PSP_PI; account information PSP_AI."),
    _rule("KBC977", "certificate-not-for-client-auth", C.CLIENT_CERTIFICATE_INVALID, _E,
          "The certificate cannot authenticate a TLS client: {reason}.",
          "Its extended key usage must allow clientAuth and its key usage digitalSignature."),
    _rule("KBC980", "access-token-missing", C.ACCESS_TOKEN_INVALID, _E,
          "The Authorization header {value} is not a Bearer access token.",
          "KBC's payment APIs need Authorization: Bearer <access token>."),
    _rule("KBC981", "access-token-expired", C.ACCESS_TOKEN_EXPIRED, _E,
          "The access token expired at {expired} (exp).",
          "A JWT access token whose exp has passed is refused with 401 TOKEN_EXPIRED; renew it first."),
    _rule("KBC982", "access-token-malformed", C.ACCESS_TOKEN_INVALID, _E,
          "The access token looks like a JWT but cannot be read: {reason}.",
          "A JWT is three base64url parts; its payload is a JSON object (exp a number of seconds)."),
    _rule("KBC983", "screen-scrape-id-empty", C.SCREEN_SCRAPE_ID_INVALID, _E,
          "The tppScreenScrapeIdentifier header is empty.",
          "The screen-scraping fallback needs the identifier returned by POST /psd2/v1/screenscraping."),
    _rule("KBC984", "screen-scrape-id-expired", C.SCREEN_SCRAPE_ID_EXPIRED, _E,
          "The screen-scraping identifier expired at {value}.",
          "The identifier is valid until the validity KBC returned with it; request a new one."),
    _rule("KBC985", "screen-scrape-validity-unreadable", C.SCREEN_SCRAPE_ID_INVALID, _W,
          "The validity {value} returned with the screen-scraping identifier is not an ISO 8601 date-time.",
          "Whether the identifier has expired cannot be told from a validity that is not a date-time; check what "
          "was stored with it."),
)
del C

RULES_BY_CODE: dict[str, Rule] = {rule.code: rule for rule in RULES}

# Codes no longer reported: kept in the table (a code is never reused), their documentation says since when.
RETIRED: frozenset[str] = frozenset({"KBC952"})


def rule(code: str) -> Rule:
    """The rule with this code; `KeyError` names an unknown one."""
    return RULES_BY_CODE[code]
