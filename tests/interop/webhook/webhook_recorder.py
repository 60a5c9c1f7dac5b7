#!/usr/bin/python3
"""webhook_recorder.py PORT_FILE LOG_FILE [SECRET_FILE]: an independent webhook receiver for
`mdmlab serve --webhook-url`. Python's http.server takes each POST; the body is checked with
code mdmlab did not write: the HMAC-SHA256 in X-Hmac-Signature (hmac.compare_digest, when a
secret is given), the JSON against webhook_event.schema.json (jsonschema), raw_payload decoded
with base64 and plistlib, and the plist held to the event: MessageType matches the topic of a
check-in, Status and CommandUUID match a report's. One JSON line per event goes to LOG_FILE:
{"topic", "errors": [...], "udid", "status", "command_uuid", "message_type", "tally"}.
The listening port is written to PORT_FILE once the socket is bound."""
import base64
import binascii
import hashlib
import hmac
import json
import os
import plistlib
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from jsonschema import Draft202012Validator

HERE = os.path.dirname(os.path.abspath(__file__))
SCHEMA = json.load(open(os.path.join(HERE, "webhook_event.schema.json")))
Draft202012Validator.check_schema(SCHEMA)
VALIDATOR = Draft202012Validator(SCHEMA)


def check(body, headers, secret):
    errors = []
    record = {}
    if not headers.get("Content-Type", "").startswith("application/json"):
        errors.append("Content-Type is " + repr(headers.get("Content-Type")))
    if secret is not None:
        sent = headers.get("X-Hmac-Signature", "")
        want = base64.b64encode(hmac.new(secret, body, hashlib.sha256).digest()).decode()
        if not hmac.compare_digest(sent, want):
            errors.append("X-Hmac-Signature does not match the body")
    try:
        event = json.loads(body)
    except ValueError as e:
        return {"errors": errors + ["not JSON: %s" % e]}
    errors += ["schema: %s at /%s" % (e.message, "/".join(map(str, e.path)))
               for e in VALIDATOR.iter_errors(event)]
    record["topic"] = event.get("topic")
    inner = event.get("acknowledge_event") or event.get("checkin_event") or {}
    for key in ("udid", "enrollment_id", "status", "command_uuid"):
        if key in inner:
            record[key] = inner[key]
    if "token_update_tally" in inner:
        record["tally"] = inner["token_update_tally"]
    if "ids" in inner:
        record["ids"] = inner["ids"]
    try:
        payload = plistlib.loads(base64.b64decode(inner.get("raw_payload", ""), validate=True))
    except (binascii.Error, plistlib.InvalidFileException, ValueError) as e:
        return dict(record, errors=errors + ["raw_payload is not a base64 plist: %s" % e])
    if "acknowledge_event" in event:
        if payload.get("Status") != inner.get("status"):
            errors.append("Status %r in the plist, %r in the event" %
                          (payload.get("Status"), inner.get("status")))
        if payload.get("CommandUUID") != inner.get("command_uuid"):
            errors.append("CommandUUID differs between the plist and the event")
    else:
        record["message_type"] = payload.get("MessageType")
        if "mdm." + str(payload.get("MessageType")) != event.get("topic"):
            errors.append("topic %s for MessageType %s" % (event.get("topic"),
                                                            payload.get("MessageType")))
    device = payload.get("UDID") or payload.get("EnrollmentID")
    if device != (inner.get("udid") or inner.get("enrollment_id")):
        errors.append("the plist's device %r is not the event's" % device)
    return dict(record, errors=errors)


def main():
    port_file, log_file = sys.argv[1], sys.argv[2]
    secret = open(sys.argv[3], "rb").read().strip() if len(sys.argv) > 3 else None
    log = open(log_file, "a", buffering=1)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            log.write(json.dumps(check(body, self.headers, secret)) + "\n")
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    with open(port_file + ".tmp", "w") as f:
        f.write(str(server.server_address[1]))
    os.rename(port_file + ".tmp", port_file)
    server.serve_forever()


if __name__ == "__main__":
    main()
