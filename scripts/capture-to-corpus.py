#!/usr/bin/python3
"""Turn an `mdmlab run --capture FILE` capture into fuzz seed corpora.

Each message body goes to the corpus of the parser that reads it on the wire:
  check-in plists (MessageType)        -> apple_checkin
  command reports (Status)             -> apple_command_report
  commands the server sent (Command)   -> plist_xml_structured
  every XML plist                      -> plist_xml
  JSON sent to the admin API           -> admin_json
Seeds are named by their SHA-1, so running it twice adds nothing twice. Bodies in a capture are
already redacted (secrets read "[redacted]"); binary bodies (SCEP) are only sizes and are skipped.

usage: scripts/capture-to-corpus.py CAPTURE.jsonl OUT_DIR     (e.g. OUT_DIR=fuzz/corpus)
"""
import hashlib
import json
import os
import sys


def targets(message):
    body = message.get("body", "")
    if not body or body.startswith("("):  # "(1234 bytes of ...)": binary, not kept
        return []
    out = []
    if "<plist" in body:
        out.append("plist_xml")
        if message.get("kind") == "request" and "<key>MessageType</key>" in body:
            out.append("apple_checkin")
        elif message.get("kind") == "request" and "<key>Status</key>" in body:
            out.append("apple_command_report")
        elif message.get("kind") == "response" and "<key>Command</key>" in body:
            out.append("plist_xml_structured")
    elif (message.get("kind") == "request" and message.get("to") == "server"
          and message.get("target", "").startswith("/admin/")):
        out.append("admin_json")
    return out


def main(argv):
    if len(argv) != 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    capture, out_dir = argv[1], argv[2]
    written = {}
    with open(capture, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            try:
                message = json.loads(line)
            except json.JSONDecodeError as e:
                print(f"{capture}:{n}: not JSON: {e}", file=sys.stderr)
                return 2
            for target in targets(message):
                data = message["body"].encode("utf-8")
                folder = os.path.join(out_dir, target)
                os.makedirs(folder, exist_ok=True)
                path = os.path.join(folder, "capture-" + hashlib.sha1(data).hexdigest())
                if not os.path.exists(path):
                    with open(path, "wb") as seed:
                        seed.write(data)
                    written[target] = written.get(target, 0) + 1
    for target in sorted(written):
        print(f"{target}: {written[target]} new seeds")
    if not written:
        print("no new seeds")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
