#!/usr/bin/env python3
"""Checks an OpenAPI document against a running service.

usage: openapi_check.py DOC.yaml SAMPLES.json
- validates the document (openapi-spec-validator);
- prints every "METHOD path" the document declares (one per line, to compare with the router);
- validates each sample response {method, path, status, body} against the documented schema.
Exits 1 and explains on the first problem.
"""
import json
import sys

import jsonschema
import yaml
from openapi_spec_validator import validate


def operation(doc, method, path):
    item = doc["paths"].get(path)
    if item is None:
        sys.exit(f"undocumented path {path}")
    if "$ref" in item:
        item = resolve(doc, item["$ref"])
    op = item.get(method.lower())
    if op is None:
        sys.exit(f"undocumented method {method} {path}")
    return op


def resolve(doc, ref):
    node = doc
    for part in ref.lstrip("#/").split("/"):
        node = node[part]
    return node


def main():
    doc = yaml.safe_load(open(sys.argv[1]))
    validate(doc)
    for path, item in sorted(doc["paths"].items()):
        if "$ref" in item:
            item = resolve(doc, item["$ref"])
        for method in ("get", "put", "post", "delete", "patch"):
            if method in item:
                print(f"{method.upper()} {path}")
    for sample in json.load(open(sys.argv[2])):
        op = operation(doc, sample["method"], sample["path"])
        responses = op["responses"]
        response = responses.get(str(sample["status"])) or responses.get("default")
        if response is None:
            sys.exit(f"{sample['method']} {sample['path']}: status {sample['status']} not documented")
        if "$ref" in response:
            response = resolve(doc, response["$ref"])
        content = response.get("content", {}).get("application/json")
        if content is None:
            continue
        schema = dict(content["schema"])
        schema["components"] = doc["components"]
        try:
            jsonschema.validate(json.loads(sample["body"]), schema)
        except jsonschema.ValidationError as error:
            sys.exit(f"{sample['method']} {sample['path']} {sample['status']}: {error.message}")


if __name__ == "__main__":
    main()
