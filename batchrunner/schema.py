"""`parse.json_schema`: validating replies, and the Parquet struct type the schema implies."""

from __future__ import annotations

from typing import Any

import orjson
import pyarrow as pa

from .errors import SpecError


def make_validator(schema: dict[str, Any]) -> Any:
    import jsonschema

    cls = jsonschema.validators.validator_for(schema, default=jsonschema.Draft202012Validator)
    try:
        cls.check_schema(schema)
    except jsonschema.SchemaError as exc:
        where = ".".join(str(p) for p in exc.absolute_path) or "(root)"
        raise SpecError(f"parse.json_schema: {where}: not a valid JSON schema: {exc.message}") from exc
    return cls(schema)


def first_violation(validator: Any, value: Any) -> str | None:
    error = next(iter(validator.iter_errors(value)), None)
    if error is None:
        return None
    where = "/".join(str(p) for p in error.absolute_path) or "(root)"
    return f"{where}: {error.message}"[:200]


def request_format(schema: dict[str, Any], name: str = "row") -> dict[str, Any]:
    """The `response_format` body for OpenAI structured outputs."""
    return {"type": "json_schema", "json_schema": {"name": name, "schema": schema, "strict": True}}


def _non_null_types(node: dict[str, Any]) -> list[Any]:
    typ = node.get("type")
    if isinstance(typ, list):
        return [t for t in typ if t != "null"]
    if typ is None:
        for key in ("anyOf", "oneOf"):
            if isinstance(node.get(key), list):
                options = [o for o in node[key] if isinstance(o, dict) and o.get("type") != "null"]
                if len(options) == 1:
                    return [options[0]]
        if "enum" in node or "const" in node:
            values = node["enum"] if isinstance(node.get("enum"), list) else [node.get("const")]
            kinds = {type(v) for v in values if v is not None}
            for allowed, name in (({str}, "string"), ({int}, "integer"), ({int, float}, "number"),
                                  ({bool}, "boolean")):
                if kinds and kinds <= allowed:
                    return [name]
        if "properties" in node:
            return ["object"]
        return []
    return [typ]


def _resolve(node: Any, root: Any, seen: frozenset[str]) -> tuple[Any, frozenset[str]]:
    """Follow local `$ref`s (`#/$defs/...`, as pydantic writes them); a recursive one gives None."""
    while isinstance(node, dict) and isinstance(node.get("$ref"), str):
        ref = node["$ref"]
        if not ref.startswith("#") or ref in seen:
            return None, seen  # remote or recursive: kept as JSON text
        seen = seen | {ref}
        target = root
        for key in ref[1:].split("/")[1:]:
            key = key.replace("~1", "/").replace("~0", "~")
            target = target.get(key) if isinstance(target, dict) else None
        node = target
    return node, seen


def arrow_type(node: Any, root: Any = None, _seen: frozenset[str] = frozenset()) -> pa.DataType:
    """string/number/integer/boolean/array/object map to Parquet types; anything else is JSON text."""
    root = node if root is None else root
    node, seen = _resolve(node, root, _seen)
    if not isinstance(node, dict):
        return pa.string()
    types = _non_null_types(node)
    if len(types) != 1:
        return pa.string()
    typ = types[0]
    if isinstance(typ, dict):  # anyOf [X, null]
        return arrow_type(typ, root, seen)
    if typ == "string":
        return pa.string()
    if typ == "integer":
        return pa.int64()
    if typ == "number":
        return pa.float64()
    if typ == "boolean":
        return pa.bool_()
    if typ == "array":
        return pa.list_(arrow_type(node.get("items", {}), root, seen))
    if typ == "object":
        props = node.get("properties")
        if not isinstance(props, dict) or not props:
            return pa.string()
        return pa.struct([pa.field(str(k), arrow_type(v, root, seen)) for k, v in props.items()])
    return pa.string()


def to_arrow_value(value: Any, typ: pa.DataType) -> Any:
    """Shape a validated reply to `typ`: JSON text where the schema is loose, ints as floats."""
    if value is None:
        return None
    if pa.types.is_struct(typ):
        if not isinstance(value, dict):
            return None
        return {f.name: to_arrow_value(value.get(f.name), f.type) for f in typ}
    if pa.types.is_list(typ):
        if not isinstance(value, list):
            return None
        return [to_arrow_value(v, typ.value_type) for v in value]
    if pa.types.is_string(typ):
        return value if isinstance(value, str) else orjson.dumps(value).decode()
    if pa.types.is_floating(typ):
        return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None
    if pa.types.is_integer(typ):
        if isinstance(value, float) and value.is_integer():
            return int(value)  # 3.0 is a valid JSON-schema integer
        ok = isinstance(value, int) and not isinstance(value, bool) and -(2**63) <= value < 2**63
        return value if ok else None  # beyond int64 it cannot be stored
    if pa.types.is_boolean(typ):
        return value if isinstance(value, bool) else None
    return value
