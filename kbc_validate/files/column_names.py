"""The header vocabulary: the column names CSV payment files use, in English, Dutch and French, and the payment
member each one fills. Data only; `csv_columns.column_path` reads it, for both CSV engines.

Names are compared by `name_key`: without regard to case, accents, spaces and punctuation, so that
``Date d'exécution``, ``DATE D EXECUTION`` and ``date_d_execution`` are one name. Where a name comes from is noted
beside it (``docs/column-names.md`` lists the sources):

- the column names of the CSV account exports of KBC/CBC, BNP Paribas Fortis, Belfius and ING Belgium (their
  counterparty columns are the creditor of a payment; their own-account column is the debtor): CBC's and
  Belfius's Dutch header lines as open-source importers of them publish them, the others partly from memory;
- the field labels of Odoo's Belgian localisation (Dutch and French), from its published translations;
- names used in payment files made by hand or by spreadsheets, the project's own inference from Belgian usage
  (``Rekening begunstigde``, ``Compte du bénéficiaire``).

A name that means two different things in Belgian exports is left out rather than guessed: ``Valuta`` (the value
date at KBC, the account's currency at BNP Paribas Fortis), ``Datum``/``Date`` (booking date in account exports,
execution date in payment lists). Such columns are mapped with ``--column`` or ``[tool.kbc-validate.columns]``.
"""

from __future__ import annotations

import re
import unicodedata

_NOT_ALPHANUMERIC = re.compile(r"[^0-9a-z]+")


def name_key(name: str) -> str:
    """A header name without case, accents, spaces and punctuation.

    >>> name_key(" Date d'exécution ")
    'datedexecution'
    >>> name_key("creditorAccount.iban") == name_key("CREDITOR_ACCOUNT IBAN")
    True
    """
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    letters = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NOT_ALPHANUMERIC.sub("", letters)


AMOUNT = "instructedAmount.amount"
CURRENCY = "instructedAmount.currency"
CREDITOR_IBAN = "creditorAccount.iban"
CREDITOR_NAME = "creditorName"
CREDITOR_BIC = "creditorAgent"
DEBTOR_IBAN = "debtorAccount.iban"
EXECUTION_DATE = "requestedExecutionDate"
UNSTRUCTURED = "remittanceInformationUnstructured"
STRUCTURED = "remittanceInformationStructured.reference"
END_TO_END = "endToEndIdentification"

# English names (the project's own aliases since its first release, and English exports).
ENGLISH: dict[str, str] = {
    "amount": AMOUNT, "currency": CURRENCY,
    "creditor iban": CREDITOR_IBAN, "beneficiary iban": CREDITOR_IBAN, "beneficiary account": CREDITOR_IBAN,
    "creditor account": CREDITOR_IBAN, "counterparty account": CREDITOR_IBAN,
    "creditor name": CREDITOR_NAME, "beneficiary name": CREDITOR_NAME, "beneficiary": CREDITOR_NAME,
    "counterparty name": CREDITOR_NAME,
    "creditor bic": CREDITOR_BIC, "bic": CREDITOR_BIC, "beneficiary bic": CREDITOR_BIC,
    "debtor iban": DEBTOR_IBAN, "debtor account": DEBTOR_IBAN,
    "execution date": EXECUTION_DATE, "requested execution date": EXECUTION_DATE,
    "structured communication": STRUCTURED, "ogm": STRUCTURED, "creditor reference": STRUCTURED,
    "communication": UNSTRUCTURED, "remittance information": UNSTRUCTURED, "description": UNSTRUCTURED,
    "end to end id": END_TO_END, "end to end identification": END_TO_END,
    "creditor country": "creditorAddress.country", "creditor street": "creditorAddress.streetName",
    "creditor town": "creditorAddress.townName", "creditor post code": "creditorAddress.postCode",
    "start date": "startDate", "end date": "endDate", "frequency": "frequency",
    "day of execution": "dayOfExecution", "execution rule": "executionRule",
}

# Dutch (Flemish) names.
DUTCH: dict[str, str] = {
    # KBC/CBC account export: "Bedrag", "Munt", "rekeningnummer tegenpartij", "BIC tegenpartij", "Naam tegenpartij",
    # "gestructureerde mededeling", "Vrije mededeling", own account "Rekeningnummer".
    "bedrag": AMOUNT, "munt": CURRENCY,
    "rekeningnummer tegenpartij": CREDITOR_IBAN, "bic tegenpartij": CREDITOR_BIC, "naam tegenpartij": CREDITOR_NAME,
    "omschrijving": UNSTRUCTURED,  # a weak name (see WEAK)
    "gestructureerde mededeling": STRUCTURED, "vrije mededeling": UNSTRUCTURED, "rekeningnummer": DEBTOR_IBAN,
    # BNP Paribas Fortis account export: "Uitvoeringsdatum", "Tegenpartij", "Naam van de tegenpartij", "Mededeling".
    "uitvoeringsdatum": EXECUTION_DATE, "tegenpartij": CREDITOR_IBAN, "naam van de tegenpartij": CREDITOR_NAME,
    "mededeling": UNSTRUCTURED,
    # Belfius account export: "Rekening", "Rekening tegenpartij", "Naam tegenpartij bevat", "Devies", "BIC" (the
    # counterparty's: in ENGLISH), "Mededelingen".
    "rekening": DEBTOR_IBAN, "rekening tegenpartij": CREDITOR_IBAN, "naam tegenpartij bevat": CREDITOR_NAME,
    "devies": CURRENCY, "mededelingen": UNSTRUCTURED,
    # ING Belgium account export: "Munteenheid", "Bericht".
    "munteenheid": CURRENCY, "bericht": UNSTRUCTURED,
    # Odoo, Belgian Dutch: "Bedrag", "Valuta" (left out, see above), "Bankrekening ontvanger", "Memo".
    "bankrekening ontvanger": CREDITOR_IBAN, "memo": UNSTRUCTURED,
    # Payment lists made by hand (inference from Belgian usage and the banks' payment forms).
    "rekening begunstigde": CREDITOR_IBAN, "rekeningnummer begunstigde": CREDITOR_IBAN,
    "iban begunstigde": CREDITOR_IBAN,
    "naam begunstigde": CREDITOR_NAME, "begunstigde": CREDITOR_NAME, "bic begunstigde": CREDITOR_BIC,
    "rekening opdrachtgever": DEBTOR_IBAN, "iban opdrachtgever": DEBTOR_IBAN, "eigen rekening": DEBTOR_IBAN,
    "gewenste uitvoeringsdatum": EXECUTION_DATE, "memodatum": EXECUTION_DATE,
    "ogm": STRUCTURED, "gestructureerde mededeling ogm": STRUCTURED, "referentie begunstigde": STRUCTURED,
    "vrije mededeling begunstigde": UNSTRUCTURED,
    "end to end referentie": END_TO_END, "land begunstigde": "creditorAddress.country",
    "straat begunstigde": "creditorAddress.streetName", "gemeente begunstigde": "creditorAddress.townName",
    "postcode begunstigde": "creditorAddress.postCode", "begindatum": "startDate", "einddatum": "endDate",
    "frequentie": "frequency",
}

# French names.
FRENCH: dict[str, str] = {
    # KBC/CBC account export: "Montant", "Devise", "numéro de compte contrepartie", "BIC contrepartie",
    # "Nom contrepartie", "communication structurée", "Communication libre", own account "Numéro de compte".
    "montant": AMOUNT, "devise": CURRENCY, "numero de compte contrepartie": CREDITOR_IBAN,
    "bic contrepartie": CREDITOR_BIC, "nom contrepartie": CREDITOR_NAME,
    "communication structuree": STRUCTURED, "communication libre": UNSTRUCTURED, "numero de compte": DEBTOR_IBAN,
    # BNP Paribas Fortis account export: "Date d'exécution", "Contrepartie", "Nom de la contrepartie", "Communication".
    "date d execution": EXECUTION_DATE, "contrepartie": CREDITOR_IBAN, "nom de la contrepartie": CREDITOR_NAME,
    "communication": UNSTRUCTURED,
    # Belfius account export: "Compte", "Compte contrepartie", "Nom contrepartie contient", "Communications".
    "compte": DEBTOR_IBAN, "compte contrepartie": CREDITOR_IBAN, "nom contrepartie contient": CREDITOR_NAME,
    "communications": UNSTRUCTURED,
    # ING Belgium account export: "Compte partie adverse", "Message".
    "compte partie adverse": CREDITOR_IBAN, "message": UNSTRUCTURED,
    # Odoo, French: "Compte bancaire du destinataire", "Mémo".
    "compte bancaire du destinataire": CREDITOR_IBAN, "memo": UNSTRUCTURED,
    # Payment lists made by hand (inference from Belgian usage and the banks' payment forms).
    "compte beneficiaire": CREDITOR_IBAN, "compte du beneficiaire": CREDITOR_IBAN, "iban beneficiaire": CREDITOR_IBAN,
    "iban du beneficiaire": CREDITOR_IBAN, "nom beneficiaire": CREDITOR_NAME, "nom du beneficiaire": CREDITOR_NAME,
    "beneficiaire": CREDITOR_NAME, "bic beneficiaire": CREDITOR_BIC, "bic du beneficiaire": CREDITOR_BIC,
    "compte donneur d ordre": DEBTOR_IBAN, "compte du donneur d ordre": DEBTOR_IBAN,
    "date d execution souhaitee": EXECUTION_DATE, "date memo": EXECUTION_DATE,
    "ogm": STRUCTURED, "communication structuree ogm": STRUCTURED, "reference beneficiaire": STRUCTURED,
    "communication libre beneficiaire": UNSTRUCTURED, "libelle": UNSTRUCTURED,
    "reference de bout en bout": END_TO_END, "pays beneficiaire": "creditorAddress.country",
    "rue beneficiaire": "creditorAddress.streetName", "localite beneficiaire": "creditorAddress.townName",
    "code postal beneficiaire": "creditorAddress.postCode", "date de debut": "startDate", "date de fin": "endDate",
    "frequence": "frequency",
}

# The columns the fix file of --errors-out adds after the input's own (`formats.errors_csv`).
FIX_FILE_COLUMNS = ("kbc_file", "kbc_line", "kbc_codes", "kbc_messages", "kbc_raw")

# Columns a header names that hold no payment member, known so that they pass without a warning: bank exports'
# bookkeeping columns, and the columns `--errors-out` adds to its fix file (so that it re-checks clean).
NOT_PAYMENT_MEMBERS: frozenset[str] = frozenset(
    name_key(name) for name in (
        *FIX_FILE_COLUMNS,
        # KBC/CBC
        "Rubrieknaam", "Afschriftnummer", "Saldo", "credit", "debet", "Adres tegenpartij",
        "Nom de la rubrique", "Numéro de l'extrait", "Solde", "crédit", "débit", "Adresse contrepartie",
        # BNP Paribas Fortis
        "Volgnummer", "Valutadatum", "Valuta rekening", "Type verrichting", "Details", "Status", "Reden van weigering",
        "Numéro de séquence", "Date valeur", "Devise du compte", "Type de transaction", "Détails", "Statut",
        "Motif du refus",
        # Belfius
        "Boekingsdatum", "Transactienummer", "Straat en nummer", "Postcode en plaats", "Transactie", "Landcode",
        "Date de comptabilisation", "Numéro d'extrait", "Numéro de transaction", "Rue et numéro",
        "Code postal et localité", "Transaction", "Code pays",
        # ING Belgium
        "Naam van de rekening", "Omzetnummer", "Detail van de omzet", "Nom du compte", "Numéro de mouvement",
        "Détails du mouvement", "Libellés",
    )
)

# Names that also mean a bank's own description of a transaction: a column so named fills its member only when no
# other column of the header does ("Omschrijving" beside "Vrije mededeling" in KBC's and ING's exports,
# "Description" beside "Communication libre" in CBC's), so that such an export is not a column named twice.
WEAK: frozenset[str] = frozenset({"description", "omschrijving"})

# Every name, by its key. A name in two languages must mean the same member (a test holds them to it).
VOCABULARY: dict[str, str] = {
    name_key(name): path for table in (ENGLISH, DUTCH, FRENCH) for name, path in table.items()
}

# A name that says what its reference is: a Belgian structured communication (issuer BBA).
BELGIAN_STRUCTURED: frozenset[str] = frozenset(
    name_key(name) for name in (
        "structured communication", "ogm", "gestructureerde mededeling", "gestructureerde mededeling ogm",
        "communication structuree", "communication structuree ogm",
    )
)
