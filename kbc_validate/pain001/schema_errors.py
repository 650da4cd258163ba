"""libxml2's schema errors, worded for a person and pinned to the element they are about.

A missing mandatory element is `KBC923` (``missing_mandatory_parameter``); an element where none is allowed
`KBC924`; a value the schema refuses `KBC925`; an attribute `KBC926` (a missing mandatory attribute is `KBC923`).
Namespaces are left out of every name: a reader of the file sees ``IBAN``, not ``{urn:iso:...}IBAN``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

_ERROR = re.compile(
    r"Element '(?:\{[^}]*\})?(?P<element>[^']+)'(?:, attribute '(?P<attribute>[^']+)')?: (?P<rest>.*)", re.S)
_EXPECTED = re.compile(r"Expected is (?:one of )?\( (?P<names>[^)]*) \)")
_NAMESPACE = re.compile(r"\{[^}]*\}")
_VALUE = re.compile(r"The value '(?P<value>[^']*)'|^'(?P<atomic>[^']*)' is not a valid value")
_TYPES = {
    "xs:date": "a date written YYYY-MM-DD", "xs:dateTime": "a date and time written YYYY-MM-DDThh:mm:ss",
    "xs:decimal": "a decimal number", "xs:boolean": "true or false",
}
_REASONS = (
    (re.compile(r"\[facet 'pattern'\] The value '[^']*' is not accepted by the pattern '(?P<x>[^']*)'"),
     "it does not match the pattern {x}"),
    (re.compile(r"\[facet 'maxLength'\] The value has a length of '(?P<n>\d+)'; this exceeds the allowed maximum "
                r"length of '(?P<x>\d+)'"), "it has {n} characters; at most {x} are allowed"),
    (re.compile(r"\[facet 'minLength'\] The value has a length of '(?P<n>\d+)'; this underruns the allowed minimum "
                r"length of '(?P<x>\d+)'"), "it has {n} characters; at least {x} are needed"),
    (re.compile(r"\[facet 'enumeration'\] The value '[^']*' is not an element of the set \{(?P<x>[^}]*)\}"),
     "it is not one of {x}"),
    (re.compile(r"\[facet 'fractionDigits'\] The value '[^']*' has more fractional digits than are allowed "
                r"\('(?P<x>\d+)'\)"), "it has more than {x} decimals"),
    (re.compile(r"\[facet 'totalDigits'\] The value '[^']*' has more digits than are allowed \('(?P<x>\d+)'\)"),
     "it has more than {x} digits"),
    (re.compile(r"\[facet 'minInclusive'\] The value '[^']*' is less than the minimum value allowed "
                r"\('(?P<x>[^']*)'\)"), "it is less than {x}"),
    (re.compile(r"'[^']*' is not a valid value of the (?:atomic|union|list) type '(?P<x>[^']*)'"), "it is not {x}"),
)


@dataclass(frozen=True)
class SchemaFinding:
    """What a schema error says, before it is placed: the rule, the element it names, and the rule's arguments."""

    code: str
    element: str  # local name of the element the finding is placed at
    value: Any
    ctx: dict[str, str]
    by_value: bool  # the message names the value: the element is the one holding it


def describe(entry: Any, version: str) -> SchemaFinding:
    """One libxml2 schema error (an ``lxml.etree._LogEntry``) as a finding of this catalogue."""
    message = " ".join(entry.message.split())
    match = _ERROR.match(message)
    if match is None:
        return SchemaFinding("KBC925", "", None, {"element": "the document", "version": version,
                                                  "reason": _plain(message)}, by_value=False)
    element, attribute, rest = match.group("element"), match.group("attribute"), match.group("rest")
    if "Missing child element" in rest:
        return SchemaFinding("KBC923", element, None, {"element": _names(rest), "parent": element}, by_value=False)
    if "This element is not expected" in rest:
        expected = _names(rest)
        said = f"expected {expected}" if expected else "nothing more is allowed here"
        return SchemaFinding("KBC924", element, None, {"element": element, "expected": said}, by_value=False)
    if "is required but missing" in rest:
        name = re.search(r"attribute '([^']+)'", rest)
        missing = f"the attribute {name.group(1)}" if name else "an attribute"
        return SchemaFinding("KBC923", element, None, {"element": missing, "parent": element}, by_value=False)
    value = _VALUE.search(rest)
    shown = (value.group("value") if value.group("value") is not None else value.group("atomic")) if value else None
    reason = _reason(rest)
    if attribute is not None:
        about = f"the attribute {attribute} {_quoted(shown)}" if shown is not None else f"the attribute {attribute}"
        return SchemaFinding("KBC926", element, shown, {"element": element, "reason": f"{about}: {reason}"},
                             by_value=False)
    return SchemaFinding("KBC925", element, shown, {"element": element, "version": version, "reason": reason},
                         by_value=shown is not None)


def _reason(rest: str) -> str:
    for pattern, template in _REASONS:
        found = pattern.search(rest)
        if found is not None:
            parts = found.groupdict()
            if "x" in parts and parts["x"] in _TYPES:
                parts["x"] = _TYPES[parts["x"]]
            elif template == "it is not {x}":
                parts["x"] = f"a valid {_NAMESPACE.sub('', parts['x'])}"
            return template.format(**parts)
    return _plain(rest)


def _names(rest: str) -> str:
    """``one of A, B`` or ``A`` from libxml2's ``Expected is ( {ns}A, {ns}B )``; empty when it names none."""
    found = _EXPECTED.search(rest)
    if found is None:
        return ""
    names = [_NAMESPACE.sub("", name).strip() for name in found.group("names").split(",")]
    names = [name for name in names if name]
    return names[0] if len(names) == 1 else "one of " + ", ".join(names)


def _plain(message: str) -> str:
    return _NAMESPACE.sub("", message).strip().rstrip(".")


def _quoted(value: str) -> str:
    return f'"{value}"'
