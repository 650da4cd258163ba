"""The countries and territories in the SEPA schemes' geographical scope, by IBAN country code.

Source: European Payments Council, EPC409-09 "List of countries and territories included in the SEPA schemes'
geographical scope" (EPC document library, https://www.europeanpaymentscouncil.eu/document-library), with the
extensions the EPC decided since 2024: Albania and Montenegro (November 2024), the Republic of Moldova and North
Macedonia (March 2025), Serbia (2025).

Territories without an IBAN country code of their own are covered by the code they use: the French overseas
departments and collectivities that use FR IBANs (Guadeloupe, French Guiana, Martinique, Mayotte, Réunion,
Saint Barthélemy, Saint Martin, Saint Pierre and Miquelon), the Åland Islands (FI), the Azores and Madeira (PT),
the Canary Islands, Ceuta and Melilla (ES), and Guernsey, Jersey and the Isle of Man (GB).

Update this list, and its date, when the EPC publishes a new version.
"""

from __future__ import annotations

AS_OF = "2025-10"

EU_MEMBER_STATES = frozenset({
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT", "LT", "LU",
    "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
})
EEA_NON_EU = frozenset({"IS", "LI", "NO"})
OTHER_MEMBERS = frozenset({"AD", "CH", "GB", "GI", "MC", "SM", "VA"})
ADMITTED_SINCE_2024 = frozenset({"AL", "MD", "ME", "MK", "RS"})

SEPA_IBAN_COUNTRIES: frozenset[str] = EU_MEMBER_STATES | EEA_NON_EU | OTHER_MEMBERS | ADMITTED_SINCE_2024
