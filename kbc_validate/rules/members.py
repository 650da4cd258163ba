"""Walking a JSON object against the members a Berlin Group schema defines for it.

Each member has two functions, defined side by side in the module of its rule:

- ``check(value, loc, ctx)``, the reference: reports every finding about the value;
- ``accept(value, ctx)``, the fast path: True only when ``check`` would report nothing. It may answer False for a
  clean value it does not bother to recognise (the reference path then decides), never True for a faulty one;
- optionally a `Vector`: the same promise as ``accept``, in a form a column engine (`kbc_validate.columnar`)
  evaluates over a whole column at once.

`is_clean_object` runs the acceptors; `check_object` the checks, and also reports what no member check can see:
a value that is not an object, unknown, forbidden and null members, and missing mandatory members. A property test
holds the two paths equal.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

from kbc_validate.findings import Loc
from kbc_validate.rules.context import Context

Check = Callable[[Any, Loc, Context], None]
Accept = Callable[[Any, Context], bool]


def never(value: Any, ctx: Context) -> bool:
    """The acceptor of members the fast path leaves to the reference path."""
    return False


class Vector(NamedTuple):
    """What a column engine may take as clean for a member, without calling its check.

    - ``pattern``: a string fully matching `pattern` (a regular expression Python and Rust read alike) of at most
      `max_length` characters (0: no limit);
    - ``iban``: a Belgian IBAN whose check digits, national check and bank code hold (kbc_validate.columnar does
      the arithmetic);
    - ``object``: an object of the members of `spec`, each clean by its own vector, the mandatory ones present;
    - ``structured``: a structured remittance object whose reference is a Belgian structured communication.
    """

    kind: str
    pattern: str = ""
    max_length: int = 0
    spec: ObjectSpec | None = None


# The shapes the ``iban`` and ``structured`` vectors' arithmetic starts from (both column engines read them here).
BELGIAN_IBAN_SHAPE = r"BE[0-9]{14}"
OGM_SHAPE = r"\+\+\+[0-9]{3}/[0-9]{4}/[0-9]{5}\+\+\+|[0-9]{12}"


class Member(NamedTuple):
    check: Check
    accept: Accept = never
    vector: Vector | None = None  # None: a column engine calls `check` once per distinct value instead


@dataclass(frozen=True, slots=True)
class ObjectSpec:
    checks: Mapping[str, Check]
    accepts: Mapping[str, Accept]
    required: tuple[str, ...]
    forbidden: frozenset[str]
    vectors: Mapping[str, Vector | None]


def object_spec(
    members: Mapping[str, Member], required: tuple[str, ...] = (), forbidden: tuple[str, ...] = ()
) -> ObjectSpec:
    """The spec of an object with these `members`, of which `required` are mandatory and `forbidden` refused."""
    checks = {name: member.check for name, member in members.items()}
    accepts = {name: member.accept for name, member in members.items()}
    vectors = {name: member.vector for name, member in members.items()}
    return ObjectSpec(checks, accepts, required, frozenset(forbidden), vectors)


def check_object(value: Any, loc: Loc, spec: ObjectSpec, ctx: Context) -> bool:
    """Check `value` against `spec`; False when it is not an object at all."""
    if not check_members(value, loc, spec, ctx):
        return False
    check_required(value, loc, spec, ctx)
    return True


def check_members(value: Any, loc: Loc, spec: ObjectSpec, ctx: Context) -> bool:
    """Each member of `value` on its own: unknown, forbidden and null members, and each member's check. False when
    `value` is not an object at all.

    A member's findings depend on its own value only (and `ctx.today`): the compiled pass checks each distinct value
    of a member once, by calling this on an object holding that member alone (`files.compiled_csv.GroupChecks`)."""
    if not isinstance(value, dict):
        ctx.report("KBC103", loc, value, expected="an object")
        return False
    checks = spec.checks
    for key, item in value.items():
        check = checks.get(key)
        if check is None:
            ctx.report("KBC801" if key in spec.forbidden else "KBC104", (*loc, key), item, member=key,
                       hint=_did_you_mean(key, checks))
        elif item is None:
            ctx.report("KBC102" if key in spec.required else "KBC105", (*loc, key), item, member=key)
        else:
            check(item, (*loc, key), ctx)
    return True


def check_required(value: dict[str, Any], loc: Loc, spec: ObjectSpec, ctx: Context) -> None:
    """The mandatory members `value` lacks."""
    for key in spec.required:
        if key not in value:
            ctx.report("KBC101", (*loc, key), None, member=key)


def is_clean_object(value: Any, spec: ObjectSpec, ctx: Context) -> bool:
    """True only when `check_object` would report nothing about `value`."""
    if type(value) is not dict:
        return False
    accepts = spec.accepts
    try:  # an unknown member is a KeyError: cheaper than a .get() call per member on this hot path
        for key, item in value.items():
            if not accepts[key](item, ctx):
                return False
    except KeyError:  # an acceptor's own KeyError, were there one, would only send the value to its check
        return False
    for key in spec.required:  # noqa: SIM110 - a loop: measurably faster than all() over a generator here
        if key not in value:
            return False
    return True


def nested(spec: ObjectSpec) -> Member:
    """The member whose value is an object described by `spec`."""
    def check(value: Any, loc: Loc, ctx: Context) -> None:
        check_object(value, loc, spec, ctx)

    def accept(value: Any, ctx: Context) -> bool:
        return is_clean_object(value, spec, ctx)

    return Member(check, accept, Vector("object", spec=spec))


def _check_string(value: Any, loc: Loc, ctx: Context) -> None:
    if not isinstance(value, str):
        ctx.report("KBC103", loc, value, expected="a string")


def _check_boolean(value: Any, loc: Loc, ctx: Context) -> None:
    if not isinstance(value, bool):
        ctx.report("KBC103", loc, value, expected="true or false")


def _check_any_object(value: Any, loc: Loc, ctx: Context) -> None:
    if not isinstance(value, dict):
        ctx.report("KBC103", loc, value, expected="an object")


ANY_STRING = Member(_check_string, lambda value, ctx: isinstance(value, str))
BOOLEAN = Member(_check_boolean, lambda value, ctx: isinstance(value, bool))
ANY_OBJECT = Member(_check_any_object, lambda value, ctx: isinstance(value, dict))


def _did_you_mean(key: object, known: Mapping[str, object]) -> str:
    """`` (did you mean creditorName?)`` when an unknown member is near a known one (a typo, another case)."""
    import difflib

    if not isinstance(key, str):
        return ""
    by_case = {name.lower(): name for name in known}
    near = difflib.get_close_matches(key.lower(), list(by_case), n=1, cutoff=0.8)
    return f" (did you mean {by_case[near[0]]}?)" if near else ""  # `translations._HINT`
