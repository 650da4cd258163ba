"""Headers as Belgian exports write them (`files.column_names`), and the user's own mapping (``--column``,
``[tool.kbc-validate.columns]``)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from kbc_validate.cli import main
from kbc_validate.files.column_names import DUTCH, ENGLISH, FRENCH, NOT_PAYMENT_MEMBERS, VOCABULARY, name_key
from kbc_validate.files.csv_columns import PATHS, column_path, parse_mapping, suggestion
from tests.test_csv_engines import ENGINES

TODAY = ["--today", "2026-12-01"]
KBC_VALIDATE = str(Path(sys.executable).with_name("kbc-validate"))


@pytest.mark.parametrize(
    ("header", "path"),
    [
        ("Rekening begunstigde", "creditorAccount.iban"),  # the Dutch export
        ("Naam begunstigde", "creditorName"),
        ("Bedrag", "instructedAmount.amount"),
        ("Uitvoeringsdatum", "requestedExecutionDate"),  # BNP Paribas Fortis
        ("Mededeling", "remittanceInformationUnstructured"),
        ("Gestructureerde mededeling", "remittanceInformationStructured.reference"),  # KBC
        ("rekeningnummer tegenpartij", "creditorAccount.iban"),  # KBC, lower case as KBC writes it
        ("Naam van de tegenpartij", "creditorName"),  # BNP Paribas Fortis
        ("Rekening tegenpartij", "creditorAccount.iban"),  # Belfius
        ("Compte partie adverse", "creditorAccount.iban"),  # ING Belgium, French
        ("Montant", "instructedAmount.amount"),
        ("Date d'exécution", "requestedExecutionDate"),  # an apostrophe and an accent
        ("DATE D EXECUTION", "requestedExecutionDate"),  # no accent, capitals, spaces
        ("date_d_execution", "requestedExecutionDate"),  # underscores
        ("Communication structurée", "remittanceInformationStructured.reference"),
        ("Communication", "remittanceInformationUnstructured"),
        ("Nom du bénéficiaire", "creditorName"),
        ("Compte du bénéficiaire", "creditorAccount.iban"),
        ("Compte bancaire du destinataire", "creditorAccount.iban"),  # Odoo, French
        ("Bankrekening ontvanger", "creditorAccount.iban"),  # Odoo, Dutch
        ("Numéro de compte", "debtorAccount.iban"),  # the account the export is of: the payer
        ("creditorAccount.iban", "creditorAccount.iban"),  # Berlin Group paths stay names
        ("Creditor IBAN", "creditorAccount.iban"),  # the English aliases of the first release
        ("Valuta", None),  # the value date at KBC, the currency at BNP Paribas Fortis: left out
        ("Datum", None),  # a booking date or an execution date: left out
    ],
)
def test_header_names_of_belgian_exports(header: str, path: str | None) -> None:
    assert column_path(header) == path


def test_every_name_fills_a_member_a_csv_column_can_fill() -> None:
    assert set(VOCABULARY.values()) <= set(PATHS)


def test_a_name_in_two_languages_means_the_same_member() -> None:
    meanings: dict[str, set[str]] = {}
    for table in (ENGLISH, DUTCH, FRENCH):
        for name, path in table.items():
            meanings.setdefault(name_key(name), set()).add(path)
    assert {key: paths for key, paths in meanings.items() if len(paths) > 1} == {}


def test_no_name_is_both_a_member_and_a_column_to_pass_over() -> None:
    assert set(VOCABULARY) & NOT_PAYMENT_MEMBERS == set()


@pytest.mark.parametrize(
    ("header", "near"),
    [
        ("Naam bgunstigde", "creditorName"),  # a letter dropped
        ("creditorAcount.iban", "creditorAccount.iban"),
        ("Montnat", "instructedAmount.amount"),  # two letters swapped
        ("Saldo", None),  # nothing near
    ],
)
def test_suggestion_for_a_misspelled_column(header: str, near: str | None) -> None:
    assert suggestion(header) == near


def test_a_mapping_of_an_unknown_member_names_the_known_ones() -> None:
    with pytest.raises(ValueError, match=r"'creditorAcount\.iban' \(did you mean creditorAccount\.iban\?\).*creditorName"):
        parse_mapping([("Begunstigde IBAN-nr", "creditorAcount.iban")])
    assert parse_mapping([("Begunstigde IBAN-nr", "creditorAccount.iban")]) == {"begunstigdeibannr": "creditorAccount.iban"}


DUTCH_EXPORT = (
    "Rekening begunstigde;Naam begunstigde;Bedrag;Uitvoeringsdatum;Mededeling\r\n"
    "BE71 0961 2345 6769;Jansen BV;1.234,56;2026-12-07;factuur 2026-041\r\n"
    "BE56 3631 2345 6788;Bakkerij Peeters;89,90;2026-12-08;+++090/9337/55493+++\r\n"
)
FRENCH_EXPORT = (
    "Compte du bénéficiaire;Nom du bénéficiaire;Montant;Date d'exécution;Communication structurée\r\n"
    "BE71 0961 2345 6769;Dupont SA;1.234,56;2026-12-07;+++090/9337/55493+++\r\n"
)


def _codes(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[str]]:
    status = main([*argv, *TODAY, "-q"])
    return status, [line.split(": ", 1)[1].split()[0] for line in capsys.readouterr().out.splitlines()]


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("text", [DUTCH_EXPORT, FRENCH_EXPORT], ids=["Dutch", "French"])
def test_a_belgian_export_is_read_as_it_is(
    text: str, engine: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    export = tmp_path / "export.csv"
    export.write_text(text, encoding="cp1252")
    assert _codes(capsys, str(export), "--engine", engine) == (0, [])


def test_a_column_mapped_on_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    export = tmp_path / "export.csv"
    export.write_text("Begunstigde IBAN-nr;Naam begunstigde;Bedrag\nBE71096123456768;Jansen BV;10,00\n", encoding="utf-8")
    status, codes = _codes(capsys, str(export))
    assert (status, codes) == (1, ["KBC906", "KBC902"])
    status, codes = _codes(capsys, str(export), "--column", "Begunstigde IBAN-nr=creditorAccount.iban")
    assert (status, codes) == (1, ["KBC308"])  # now read, and checked: a wrong check digit


def test_columns_mapped_in_pyproject(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.kbc-validate.columns]\n"Begunstigde IBAN-nr" = "creditorAccount.iban"\n"Te betalen" = "instructedAmount.amount"\n',
        encoding="utf-8",
    )
    (tmp_path / "export.csv").write_text("Begunstigde IBAN-nr;Naam begunstigde;Te betalen\nBE71096123456769;Jansen BV;10,00\n",
                                         encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert _codes(capsys, "export.csv") == (0, [])


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ('[tool.kbc-validate.columns]\n"Te betalen" = "instructedAmount.amont"\n', "did you mean instructedAmount.amount"),
        ('[tool.kbc-validate]\ncolumns = ["Te betalen"]\n', "maps header names to members"),
        ('[tool.kbc-validate.columns]\n"Te betalen" = 5\n', "maps header names to members"),
    ],
)
def test_a_wrong_mapping_in_pyproject_is_a_usage_error(
    setting: str, message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "pyproject.toml").write_text(setting, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as raised:
        main(["export.csv"])
    assert raised.value.code == 2
    assert message in capsys.readouterr().err


def test_the_installed_command_maps_columns(tmp_path: Path) -> None:
    export = tmp_path / "export.csv"
    export.write_text("Begunstigde IBAN-nr;Naam bgunstigde;Bedrag\nBE71096123456769;Jansen BV;10,00\n", encoding="utf-8")
    unknown = subprocess.run([KBC_VALIDATE, str(export), "--column", "Begunstigde IBAN-nr=creditorAccount.ibn"],
                             capture_output=True, text=True, check=False)
    assert unknown.returncode == 2
    assert "did you mean creditorAccount.iban" in unknown.stderr
    assert "known members: endToEndIdentification" in unknown.stderr
    mapped = subprocess.run([KBC_VALIDATE, str(export), *TODAY, "--column", "Begunstigde IBAN-nr=creditorAccount.iban",
                             "--format", "json"], capture_output=True, text=True, check=False)
    findings = json.loads(mapped.stdout)["findings"]
    assert [(f["line"], f["column"], f["code"]) for f in findings] == [(1, 2, "KBC906"), (1, 1, "KBC902")]
    assert "(did you mean creditorName?)" in findings[0]["message"]


KBC_STATEMENT = (
    "Rekeningnummer;Rubrieknaam;Naam;Munt;Afschriftnummer;Datum;Omschrijving;Valuta;Bedrag;Saldo;credit;debet;"
    "rekeningnummer tegenpartij;BIC tegenpartij;Naam tegenpartij;Adres tegenpartij;gestructureerde mededeling;"
    "Vrije mededeling\r\n"
    "BE36 7340 1234 5681;Zichtrekening;Garage De Smet;EUR;2026001;24/11/2026;EUROPESE OVERSCHRIJVING NAAR BE71 0961 "
    "2345 6769 Jansen BV;25/11/2026;125,00;1.000,00;125,00;;BE71 0961 2345 6769;GKCCBEBB;Jansen BV;Kerkstraat 1;;"
    "factuur 41\r\n"
)
CBC_STATEMENT = (
    "Numéro de compte;Nom de la rubrique;Nom;Devise;Numéro de l'extrait;Date;Description;Valeur;Montant;Solde;crédit;"
    "débit;numéro de compte contrepartie;BIC contrepartie;Nom contrepartie;Adresse contrepartie;"
    "communication structurée;Communication libre\r\n"
    "BE36 7340 1234 5681;Compte à vue;Garage Dubois;EUR;2026001;24/11/2026;VIREMENT EUROPEEN VERS BE71 0961 2345 6769;"
    "25/11/2026;125,00;1.000,00;125,00;;BE71 0961 2345 6769;GKCCBEBB;Dupont SA;Rue Haute 1;;facture 41\r\n"
)
BELFIUS_STATEMENT = (
    "Rekening;Boekingsdatum;Afschriftnummer;Transactienummer;Rekening tegenpartij;Naam tegenpartij bevat;"
    "Straat en nummer;Postcode en plaats;Transactie;Valutadatum;Bedrag;Devies;BIC;Landcode;Mededelingen\r\n"
    "BE36 7340 1234 5681;24/11/2026;2026001;1;BE71 0961 2345 6769;Jansen BV;Kerkstraat 1;9000 Gent;"
    "Europese overschrijving;25/11/2026;125,00;EUR;GKCCBEBB;BE;factuur 41\r\n"
)


@pytest.mark.parametrize(
    "text",
    [KBC_STATEMENT, CBC_STATEMENT, BELFIUS_STATEMENT],
    ids=["KBC account export", "CBC account export", "Belfius account export"],
)
def test_a_banks_account_export_reads_its_columns_without_warnings(
    text: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The bank's own description ("Omschrijving", "Description") yields to the remittance column; bookkeeping
    # columns (balance, statement number) are known and pass silently. Not read, said in a warning: the dates
    # (ambiguous) and KBC's "Naam" / CBC's "Nom", the account holder's name, which a hand-made list may mean as the
    # beneficiary's (a warning shows it is not read).
    export = tmp_path / "export.csv"
    export.write_text(text, encoding="cp1252")
    main([str(export), *TODAY, "-q", "--format", "json"])
    findings = json.loads(capsys.readouterr().out)["findings"]
    assert {f["code"] for f in findings} <= {"KBC906"}
    assert {f["message"].split('"')[1] for f in findings} <= {"Datum", "Date", "Valuta", "Valeur", "Naam", "Nom"}


def test_the_documentation_lists_every_name_of_the_vocabulary() -> None:
    page = (Path(__file__).resolve().parent.parent / "docs" / "column-names.md").read_text(encoding="utf-8")
    documented = {name_key(name) for name in re.findall(r"`([^`]+)`", page)}
    assert set(VOCABULARY) - documented == set()
