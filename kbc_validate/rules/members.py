"""Walking a JSON object against the members a Berlin Group schema defines for it.

An `ObjectSpec` maps each member name to the check of its value. The walker reports what no single member check
can see: a value that is not an object, unknown, forbidden and null members, and missing mandatory members.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from kbc_validate.findings import Loc
from kbc_validate.rules.context import Context

Check = Callable[[Any, Loc, Context], None]


@dataclass(frozen=True, slots=True)
class ObjectSpec:
    members: Mapping[str, Check]
    required: tuple[str, ...] = ()
    forbidden: frozenset[str] = field(default_factory=frozenset)


def check_object(value: Any, loc: Loc, spec: ObjectSpec, ctx: Context) -> bool:
    """Check `value` against `spec`; False when it is not an object at all."""
    if not isinstance(value, dict):
        ctx.report("KBC103", loc, value, expected="an object")
        return False
    members = spec.members
    for key, item in value.items():
        check = members.get(key)
        if check is None:
            ctx.report("KBC801" if key in spec.forbidden else "KBC104", (*loc, key), item, member=key)
        elif item is None:
            ctx.report("KBC102" if key in spec.required else "KBC105", (*loc, key), item, member=key)
        else:
            check(item, (*loc, key), ctx)
    for key in spec.required:
        if key not in value:
            ctx.report("KBC101", (*loc, key), None, member=key)
    return True


def nested(spec: ObjectSpec) -> Check:
    """The check of a member whose value is an object described by `spec`."""
    def check(value: Any, loc: Loc, ctx: Context) -> None:
        check_object(value, loc, spec, ctx)
    return check


def expect_string(value: Any, loc: Loc, ctx: Context) -> None:
    """A member that must be a string and has no further rule here."""
    if not isinstance(value, str):
        ctx.report("KBC103", loc, value, expected="a string")


def expect_boolean(value: Any, loc: Loc, ctx: Context) -> None:
    if not isinstance(value, bool):
        ctx.report("KBC103", loc, value, expected="true or false")


def expect_object(value: Any, loc: Loc, ctx: Context) -> None:
    """A member that must be an object whose content is not checked here."""
    if not isinstance(value, dict):
        ctx.report("KBC103", loc, value, expected="an object")
