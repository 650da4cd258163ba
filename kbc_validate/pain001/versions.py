"""The pain.001 versions KBC takes, told apart by their namespace, and their official XSDs (shipped as data).

pain.001.001.03 is what the Berlin Group specification names for ``bulk-payments/pain.001``; pain.001.001.09 is
what Febelfin's Belgian guidelines use since 17 March 2024. They differ in more than the namespace: .09 writes the
requested execution date as ``ReqdExctnDt/Dt`` (or ``/DtTm``) and a BIC as ``BICFI``, and lets names run to 140
characters (the EPC keeps 70).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

NAMESPACE_PREFIX = "urn:iso:std:iso:20022:tech:xsd:"


@dataclass(frozen=True)
class Version:
    name: str  # "pain.001.001.03"
    bic: str  # the element holding a BIC in a FinInstnId
    dated_execution: bool  # ReqdExctnDt holds Dt or DtTm (.09) rather than a date (.03)

    @property
    def namespace(self) -> str:
        return NAMESPACE_PREFIX + self.name

    def schema(self) -> Any:
        """The version's official XSD as an ``lxml.etree.XMLSchema``, built once a process."""
        return _schema(self.name)


VERSIONS = {
    v.namespace: v
    for v in (Version("pain.001.001.03", "BIC", dated_execution=False),
              Version("pain.001.001.09", "BICFI", dated_execution=True))
}


@cache
def _schema(name: str) -> Any:
    from lxml import etree

    path = files("kbc_validate") / "data" / "pain001" / f"{name}.xsd"
    # The schema is ours, but parse it as strictly as any document: no network, no entities from outside.
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    return etree.XMLSchema(etree.fromstring(path.read_bytes(), parser))
