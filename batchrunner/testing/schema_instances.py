"""A deterministic instance of a JSON schema: what the fake server answers in json mode."""

from __future__ import annotations

from typing import Any


def schema_instance(schema: Any, root: Any = None, depth: int = 0) -> Any:
    """A deterministic instance valid against a (reasonable) JSON schema."""
    root = schema if root is None else root
    if not isinstance(schema, dict) or depth > 32:
        return "example"
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/"):
        target: Any = root
        for part in ref[2:].split("/"):
            target = target.get(part, {}) if isinstance(target, dict) else {}
        return schema_instance(target, root, depth + 1)
    if "const" in schema:
        return schema["const"]
    if schema.get("enum"):
        return schema["enum"][0]
    for comb in ("anyOf", "oneOf", "allOf"):
        opts = [
            o
            for o in schema.get(comb) or []
            if not (isinstance(o, dict) and o.get("type") == "null")
        ]
        if opts:
            return schema_instance(opts[0], root, depth + 1)
    t = schema.get("type")
    if isinstance(t, list):
        t = next((x for x in t if x != "null"), "null")
    if t is None:
        t = (
            "object"
            if "properties" in schema
            else "array"
            if "items" in schema
            else "string"
        )
    if t == "object":
        props = schema.get("properties") or {}
        return {k: schema_instance(v, root, depth + 1) for k, v in props.items()}
    if t == "array":
        items = schema.get("items", {"type": "string"})
        if isinstance(items, list):  # tuple form
            return [schema_instance(i, root, depth + 1) for i in items]
        return [schema_instance(items, root, depth + 1)] * max(
            1, int(schema.get("minItems", 1))
        )
    if t in ("integer", "number"):
        value: float = 1 if t == "integer" else 1.5
        lo, hi = schema.get("minimum"), schema.get("maximum")
        if lo is not None and value < lo:
            value = lo
        if hi is not None and value > hi:
            value = hi
        return int(value) if t == "integer" else value
    if t == "boolean":
        return True
    if t == "null":
        return None
    s = "example"
    return s.ljust(int(schema.get("minLength", 0)), "x")
