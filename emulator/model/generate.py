#!/usr/bin/env python3
"""Writes the constraint tables the emulator validates requests against.

Run with the interop venv's Python (it has botocore), from the repository root:

    .ci/interop/.venv/bin/python emulator/model/generate.py

For each service it keeps, from botocore's installed service model, only what validation
needs: every operation's input shape and whether it is unauthenticated, and the shapes those
inputs reach, each with its type, required members, length or value bounds, pattern, enum and
whether it is sensitive. Documentation is dropped. `.ci/interop/python/test_model_validation.py`
checks the running emulator against botocore's model itself, so a stale table shows up there.
"""

import json
import pathlib

import botocore
import botocore.session

KEEP = ("min", "max", "pattern", "enum", "sensitive", "document")


def compact(shapes, name, out):
    if name in out:
        return
    shape = shapes[name]
    kind = shape["type"]
    entry = {"type": kind}
    for key in KEEP:
        if key in shape:
            entry[key] = shape[key]
    out[name] = entry
    if kind == "structure":
        entry["members"] = {m: v["shape"] for m, v in shape["members"].items()}
        if shape.get("required"):
            entry["required"] = shape["required"]
        for member in shape["members"].values():
            compact(shapes, member["shape"], out)
    elif kind == "list":
        entry["member"] = shape["member"]["shape"]
        compact(shapes, shape["member"]["shape"], out)
    elif kind == "map":
        entry["key"] = shape["key"]["shape"]
        entry["value"] = shape["value"]["shape"]
        compact(shapes, shape["key"]["shape"], out)
        compact(shapes, shape["value"]["shape"], out)


def service(session, name):
    model = session.get_service_data(name)
    operations, shapes = {}, {}
    for op, spec in sorted(model["operations"].items()):
        unauthenticated = spec.get("authtype") == "none" or "smithy.api#noAuth" in spec.get("auth", [])
        entry = {"unauthenticated": unauthenticated}
        if "input" in spec:
            entry["input"] = spec["input"]["shape"]
            compact(model["shapes"], spec["input"]["shape"], shapes)
        operations[op] = entry
    return {
        "apiVersion": model["metadata"]["apiVersion"],
        "operations": operations,
        "shapes": dict(sorted(shapes.items())),
    }


def main():
    session = botocore.session.get_session()
    here = pathlib.Path(__file__).resolve().parent
    for name in ("cognito-idp", "cognito-identity"):
        doc = service(session, name)
        doc["source"] = f"botocore {botocore.__version__}"
        path = here / f"{name}.json"
        path.write_text(json.dumps(doc, indent=0, sort_keys=False, ensure_ascii=True) + "\n")
        print(f"{path}: {len(doc['operations'])} operations, {len(doc['shapes'])} shapes")


if __name__ == "__main__":
    main()
