"""Just enough DER (ITU-T X.690) to read the ETSI PSD2 QCStatement: tag-length-value items, OIDs and strings.

Every function raises `ValueError` on malformed input; callers report it as a finding.
"""

from __future__ import annotations

from typing import NamedTuple

SEQUENCE, OID, UTF8_STRING = 0x30, 0x06, 0x0C


class Item(NamedTuple):
    tag: int
    value: bytes


def items(data: bytes) -> list[Item]:
    """The consecutive TLV items of `data` (the content of a SEQUENCE, or a whole encoding)."""
    found, i = [], 0
    while i < len(data):
        if i + 2 > len(data):
            raise ValueError("truncated DER item")
        tag, length, i = data[i], data[i + 1], i + 2
        if length & 0x80:
            count = length & 0x7F
            if count == 0 or count > 4 or i + count > len(data):
                raise ValueError("unsupported DER length")
            length, i = int.from_bytes(data[i:i + count], "big"), i + count
        if i + length > len(data):
            raise ValueError("DER item longer than its container")
        found.append(Item(tag, data[i:i + length]))
        i += length
    return found


def oid(value: bytes) -> str:
    """The dotted form of an OBJECT IDENTIFIER's content."""
    if not value:
        raise ValueError("empty OID")
    arcs, current = [], 0
    for byte in value:
        current = (current << 7) | (byte & 0x7F)
        if not byte & 0x80:
            arcs.append(current)
            current = 0
    first = min(arcs[0] // 40, 2)
    return ".".join(map(str, [first, arcs[0] - 40 * first, *arcs[1:]]))
