"""Argument validation (tools.md §1.2): raw call arguments become clean, typed, defaulted values.

`validate_arguments` checks in this order: the object itself and its keys, the general rules
(strict types, trimming, empty strings, lower-cased enums), the JSON Schema of the tool, the custom
formats, and the either-or and exclusion rules. Every problem is collected before it raises.
"""

from __future__ import annotations

import copy
import json
import math
from collections.abc import Iterator, Mapping, Sequence, Set
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Final, NoReturn

from jsonschema import Draft202012Validator, ValidationError, validators

from artbattle_ops.tools.errors import InvalidArgumentsError
from artbattle_ops.tools.formats import FormatError, normalize_format

# Arguments for which an empty string is a value, not an absence: a blank bio means "clear" (§4.3).
EMPTY_STRING_ALLOWED: Final = frozenset({"new_bio"})

_ABSENT: Final = object()
_CHECKED_BEFORE_SCHEMA: Final = frozenset({"required", "additionalProperties"})
_MAX_INTEGER_BITS = 1024  # beyond any bound; also keeps `str()` of the value cheap and legal
_SHOWN_NAME_CHARS = 40
_TYPE_WORDS = {
    "integer": "an integer",
    "number": "a number",
    "string": "a string",
    "boolean": "true or false",
    "array": "a list",
    "object": "an object",
    "null": "null",
}


@dataclass(frozen=True)
class ArgumentProblem:
    """One problem with the arguments: where, which rule, and a message safe to show."""

    path: str
    rule: str
    message: str
    hint: str | None = None


class ArgumentProblemsError(InvalidArgumentsError):
    """`invalid_arguments` with every problem found; `errors` holds `{path, rule}` for the audit."""

    def __init__(self, problems: Sequence[ArgumentProblem]) -> None:
        first, others = problems[0], len(problems) - 1
        message = first.message
        if others:
            message += f" {others} more problem{'s' if others > 1 else ''} in details."
        super().__init__(
            message,
            argument=first.path or None,
            hint=first.hint,
            details=[problem.message for problem in problems],
        )
        self.problems = tuple(problems)
        self.errors = [{"path": problem.path, "rule": problem.rule} for problem in problems]


def validate_arguments(
    tool: str,
    schema: Mapping[str, Any],
    raw: Any,
    *,
    requires_one_of: Sequence[Sequence[str]] = (),
    mutually_exclusive: Sequence[Sequence[str]] = (),
) -> dict[str, Any]:
    """The clean arguments of a call to `tool`, with defaults applied.

    `raw` is the call's `arguments`: a mapping, JSON text, or None for none.

    Raises:
        ArgumentProblemsError: (an `InvalidArgumentsError`) listing every problem found.
    """
    arguments = _parse_object(raw)
    properties: Mapping[str, Any] = schema.get("properties", {})
    unknown = [_unknown(tool, key, properties) for key in arguments if key not in properties]

    given, problems = _prepare_all(arguments, properties, set(schema.get("required", ())))
    provided = given.keys() | {name for name, found in problems.items() if found.rule != "required"}
    problems |= _structure_problems(schema, properties, given)
    formatted, format_problems = _format_all(given, properties, skip=problems.keys())
    problems |= format_problems

    ordered = [*unknown, *(problems[name] for name in ("", *properties) if name in problems)]
    ordered += _combination_problems(provided, requires_one_of, mutually_exclusive)
    if ordered:
        raise ArgumentProblemsError(ordered)
    return _with_defaults(formatted, properties)


def _parse_object(raw: Any) -> Mapping[Any, Any]:
    if isinstance(raw, str | bytes | bytearray):
        raw = _parse_json(raw)
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise ArgumentProblemsError([_object_problem("not_object", "must be a JSON object")])
    return raw


def _parse_json(text: str | bytes | bytearray) -> Any:
    try:
        return json.loads(text, parse_constant=_refuse_constant)
    except (ValueError, RecursionError):
        # ValueError covers JSONDecodeError, bad UTF-8 and integers too long to convert.
        raise ArgumentProblemsError(
            [_object_problem("invalid_json", "must be a JSON object, and the text is not JSON")]
        ) from None


def _refuse_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not JSON")


def _object_problem(rule: str, words: str) -> ArgumentProblem:
    return ArgumentProblem("", rule, f"arguments {words}.")


def _unknown(tool: str, key: object, properties: Mapping[str, Any]) -> ArgumentProblem:
    name = _shown_name(key)
    takes = f"it takes: {', '.join(properties)}" if properties else "it takes no arguments"
    return ArgumentProblem(name, "unknown", f"{name} is not an argument of {tool} ({takes}).")


def _shown_name(key: object) -> str:
    """A key as it may appear in a message or the audit: printable and at most 40 characters."""
    raw = key if isinstance(key, str) else f"<{type(key).__name__}>"
    text = "".join(char if char.isprintable() else "?" for char in raw)
    if len(text) > _SHOWN_NAME_CHARS:
        return text[: _SHOWN_NAME_CHARS - 1] + "…"
    return text or '""'


# General rules -----------------------------------------------------------------------------


def _prepare_all(
    arguments: Mapping[Any, Any], properties: Mapping[str, Any], required: set[str]
) -> tuple[dict[str, Any], dict[str, ArgumentProblem]]:
    """Values after the general rules, and the arguments that broke one of them."""
    given: dict[str, Any] = {}
    problems: dict[str, ArgumentProblem] = {}
    for name, prop in properties.items():
        value = _prepare(name, arguments.get(name, _ABSENT), prop)
        if isinstance(value, ArgumentProblem):
            problems[name] = value
        elif value is not _ABSENT:
            given[name] = value
        elif name in required:
            problems[name] = ArgumentProblem(name, "required", f"{name} is required.")
    return given, problems


def _prepare(name: str, value: Any, prop: Mapping[str, Any]) -> Any:
    """The value after trimming, empty and null handling and enum case, or `_ABSENT`."""
    types = _types(prop)
    if value is None and "null" not in types:
        return _ABSENT
    if isinstance(value, float):
        return _prepare_number(name, value, types)
    if isinstance(value, int) and value.bit_length() > _MAX_INTEGER_BITS:
        return ArgumentProblem(name, "maximum", f"{name} is far too large.")
    if not isinstance(value, str):
        return value

    text = value.replace("\r\n", "\n") if name in EMPTY_STRING_ALLOWED else value
    text = text.strip()
    if not text and name not in EMPTY_STRING_ALLOWED:
        return _ABSENT
    return text.lower() if "enum" in prop else text


def _prepare_number(name: str, value: float, types: frozenset[str]) -> Any:
    if not math.isfinite(value):
        return ArgumentProblem(name, "type", f"{name} must be a finite number.")
    if "integer" in types and "number" not in types and value.is_integer():
        return int(value)  # JSON has one number type: 3.0 is the integer 3.
    return value


def _types(prop: Mapping[str, Any]) -> frozenset[str]:
    declared = prop.get("type", ())
    return frozenset([declared] if isinstance(declared, str) else declared)


# Schema --------------------------------------------------------------------------------------


def _multiple_of(
    validator: Any, divisor: Any, instance: Any, schema: Mapping[str, Any]
) -> Iterator[ValidationError]:
    """`multipleOf` in decimal arithmetic, so that 0.29 is a multiple of 0.01."""
    if not validator.is_type(instance, "number"):
        return
    try:
        exact = Decimal(str(instance)) % Decimal(str(divisor)) == 0
    except (InvalidOperation, ArithmeticError, ValueError):
        exact = False
    if not exact:
        yield ValidationError("not a multiple", validator="multipleOf", validator_value=divisor)


# jsonschema's `extend` has no annotations; the result is a Draft 2020-12 validator class.
_VALIDATORS: dict[int, tuple[Mapping[str, Any], Draft202012Validator]] = {}


def _validator_for(schema: Mapping[str, Any]) -> Draft202012Validator:
    """One validator per schema object: building one walks the schema, so it is reused.

    Manifest schemas live as long as the process; the entry keeps its schema alive, so the id
    cannot be reused by another object.
    """
    entry = _VALIDATORS.get(id(schema))
    if entry is None or entry[0] is not schema:
        if len(_VALIDATORS) >= 1024:  # only ad-hoc schemas (tests) get here
            _VALIDATORS.clear()
        entry = (schema, _Validator(schema))
        _VALIDATORS[id(schema)] = entry
    return entry[1]


_Validator: type[Draft202012Validator] = validators.extend(  # type: ignore[no-untyped-call]
    Draft202012Validator, {"multipleOf": _multiple_of}
)


def _structure_problems(
    schema: Mapping[str, Any], properties: Mapping[str, Any], given: Mapping[str, Any]
) -> dict[str, ArgumentProblem]:
    """The first schema error of each argument (a type error first), in plain words.

    Errors of the object itself are keyed by "", except `required` and `additionalProperties`,
    which `validate_arguments` has already checked in its own words.
    """
    problems: dict[str, ArgumentProblem] = {}
    errors = _validator_for(schema).iter_errors(dict(given))
    for error in sorted(errors, key=lambda error: error.validator != "type"):
        name = str(error.absolute_path[0]) if error.absolute_path else ""
        if name in problems or error.validator in _CHECKED_BEFORE_SCHEMA:
            continue
        if name:
            problems[name] = _describe(name, error, properties.get(name, {}))
        else:
            rule = str(error.validator)
            problems[""] = _object_problem(_snake(rule), f"break the schema rule {rule}")
    return problems


def _describe(name: str, error: ValidationError, prop: Mapping[str, Any]) -> ArgumentProblem:
    validator, instance = str(error.validator), error.instance
    value: Any = error.validator_value
    if len(error.absolute_path) > 1:
        return ArgumentProblem(name, validator, f"{name} has an invalid element ({validator}).")
    if validator == "type":
        return ArgumentProblem(name, "type", f"{name} must be {_type_words(value)}.")
    if validator == "enum":
        choices = ", ".join(str(choice) for choice in value)
        return ArgumentProblem(name, "enum", f"{name} must be one of {choices}.")
    if validator in {"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"}:
        return ArgumentProblem(name, _snake(validator), f"{name} must be {_range_words(prop)}.")
    if validator == "maxLength":
        length = len(instance) if isinstance(instance, str) else 0
        message = f"{name} is {length} characters; the limit is {value}."
        return ArgumentProblem(name, "max_length", message)
    if validator == "minLength":
        message = f"{name} must be at least {value} character{'s' if value != 1 else ''}."
        return ArgumentProblem(name, "min_length", message)
    if validator == "pattern":
        return ArgumentProblem(name, "pattern", f"{name} must match the pattern {value}.")
    if validator == "multipleOf":
        return ArgumentProblem(name, "multiple_of", f"{name} must be {_multiple_words(value)}.")
    return ArgumentProblem(name, _snake(validator), f"{name} breaks the rule {validator}.")


def _type_words(declared: Any) -> str:
    names = [declared] if isinstance(declared, str) else list(declared)
    return " or ".join(_TYPE_WORDS.get(str(name), str(name)) for name in names)


def _range_words(prop: Mapping[str, Any]) -> str:
    low, high = prop.get("minimum"), prop.get("maximum")
    if low is not None and high is not None:
        return f"between {_number(low)} and {_number(high)}"
    words = []
    if low is not None:
        words.append(f"at least {_number(low)}")
    if "exclusiveMinimum" in prop:
        words.append(f"greater than {_number(prop['exclusiveMinimum'])}")
    if high is not None:
        words.append(f"at most {_number(high)}")
    if "exclusiveMaximum" in prop:
        words.append(f"less than {_number(prop['exclusiveMaximum'])}")
    return " and ".join(words)


def _multiple_words(divisor: Any) -> str:
    exponent = Decimal(str(divisor)).normalize().as_tuple()
    places = -exponent.exponent if isinstance(exponent.exponent, int) else 0
    if exponent.digits == (1,) and places > 0:
        return f"a number with at most {places} decimal place{'s' if places > 1 else ''}"
    return f"a multiple of {_number(divisor)}"


def _number(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _snake(name: str) -> str:
    return "".join(f"_{char.lower()}" if char.isupper() else char for char in name)


# Formats -------------------------------------------------------------------------------------


def _format_all(
    given: Mapping[str, Any], properties: Mapping[str, Any], *, skip: Set[str]
) -> tuple[dict[str, Any], dict[str, ArgumentProblem]]:
    """Values in their canonical format, and the arguments whose format is wrong."""
    formatted = dict(given)
    problems: dict[str, ArgumentProblem] = {}
    for name, value in given.items():
        if name in skip or not isinstance(value, str):
            continue
        try:
            formatted[name] = normalize_format(value, name, properties[name])
        except FormatError as error:
            problems[name] = ArgumentProblem(
                name, f"format:{error.rule}", error.message, error.hint
            )
    return formatted, problems


# Combinations and defaults -------------------------------------------------------------------


def _combination_problems(
    given: Set[str],
    requires_one_of: Sequence[Sequence[str]],
    mutually_exclusive: Sequence[Sequence[str]],
) -> list[ArgumentProblem]:
    problems = [
        ArgumentProblem(group[0], "requires_one_of", f"Provide {_either(group)}.")
        for group in requires_one_of
        if group and not any(name in given for name in group)
    ]
    for group in mutually_exclusive:
        present = [name for name in group if name in given]
        if len(present) > 1:
            message = f"Give {_either(present)}, not more than one."
            if len(present) == 2:
                message = f"Give {_either(present)}, not both."
            problems.append(ArgumentProblem(present[0], "mutually_exclusive", message))
    return problems


def _either(names: Sequence[str]) -> str:
    if len(names) == 1:
        return names[0]
    return f"{', '.join(names[:-1])} or {names[-1]}"


def _with_defaults(values: Mapping[str, Any], properties: Mapping[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for name, prop in properties.items():
        if name in values:
            result[name] = values[name]
        elif "default" in prop:
            result[name] = copy.deepcopy(prop["default"])
    return result
