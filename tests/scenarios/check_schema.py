#!/usr/bin/python3
"""check_schema.py SCHEMA FILE...: checks each suite FILE against SCHEMA with Python's
jsonschema (an independent implementation of JSON Schema draft 2020-12) and prints one line per
file, in order: "ok" or "error <json pointer> <message>". The schema itself is checked against
the draft's meta-schema first (exit 2 if it is not a valid schema).

scenario_schema_test holds these verdicts to the C++ parser's (parse_suite)."""
import json
import sys

import jsonschema
from jsonschema import Draft202012Validator


def pointer(path):
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in path) or "/"


def main():
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    with open(sys.argv[1], encoding="utf-8") as f:
        schema = json.load(f)
    try:
        Draft202012Validator.check_schema(schema)
    except jsonschema.exceptions.SchemaError as e:
        print("schema is not valid draft 2020-12:", e.message, file=sys.stderr)
        return 2
    validator = Draft202012Validator(schema)
    for name in sys.argv[2:]:
        try:
            with open(name, encoding="utf-8") as f:
                doc = json.load(f)
        except (OSError, ValueError) as e:
            print("error / cannot read JSON:", str(e).replace("\n", " "))
            continue
        best = jsonschema.exceptions.best_match(validator.iter_errors(doc))
        if best is None:
            print("ok")
        else:
            print("error", pointer(best.absolute_path), best.message.replace("\n", " ")[:300])
    return 0


if __name__ == "__main__":
    sys.exit(main())
