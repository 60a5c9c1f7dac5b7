#!/usr/bin/python3
"""misbehaving_proxy.py UPSTREAM PORT_FILE MODE: a reverse proxy in front of an MDM server that
makes it break one protocol rule, so conformance checks can be seen to catch it. Everything
else is passed through, and the enrollment profile (ask for the unsigned one) is rewritten to
point devices at the proxy, so a scenario sees one whole server. MODE:
  idle-204        a command-loop report whose upstream answer is an empty 200 gets HTTP 204
                  (breaks apple.command.empty-answer);
  fail-first-scep the first SCEP PKIOperation gets HTTP 503 (a SCEP server failing under load);
                  the device should send it again;
  fail-some-scep  every tenth SCEP PKIOperation gets HTTP 503, the whole run long (a SCEP
                  server that fails some requests under concurrent load); the others reach the
                  upstream one at a time, because micromdm's scepserver races on its depot's
                  serial file under concurrent PKIOperations and answers FAILURE (badRequest),
                  which a device does not retry;
  replay-certrep  every SCEP PKIOperation after the first gets the first one's CertRep, a
                  validly signed answer to another request (a device re-enrolling with the same
                  key sees its transactionID but not its senderNonce: breaks
                  scep.certrep.recipient-nonce)."""
import contextlib
import http.client
import itertools
import os
import sys
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

UPSTREAM = urllib.parse.urlsplit(sys.argv[1])
MODE = sys.argv[3]
FIRST_CERTREP = []
FAILED = []
PKI_COUNT = itertools.count(1)
PKI_LOCK = threading.Lock()
UPSTREAM_LOCK = threading.Lock()
NO_LOCK = contextlib.nullcontext()
HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "host"}


class Proxy(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def forward(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        if MODE == "fail-first-scep" and "operation=PKIOperation" in self.path and not FAILED:
            FAILED.append(self.path)
            self.send_response(503)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if MODE == "fail-some-scep" and "operation=PKIOperation" in self.path:
            with PKI_LOCK:
                n = next(PKI_COUNT)
            if n % 10 == 0:
                self.send_response(503)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
        conn = http.client.HTTPConnection(UPSTREAM.hostname, UPSTREAM.port, timeout=30)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP}
        one_at_a_time = MODE == "fail-some-scep" and "operation=PKIOperation" in self.path
        with UPSTREAM_LOCK if one_at_a_time else NO_LOCK:
            conn.request(self.command, self.path, body=body, headers=headers)
            res = conn.getresponse()
            data = res.read()
        status = res.status
        is_report = self.headers.get("Content-Type", "") == "application/x-apple-aspen-mdm"
        if MODE == "idle-204" and is_report and status == 200 and not data:
            status = 204
        if MODE == "replay-certrep" and "operation=PKIOperation" in self.path and status == 200:
            if FIRST_CERTREP:
                data = FIRST_CERTREP[0]
            else:
                FIRST_CERTREP.append(data)
        if self.path.startswith("/mdm/apple/enroll"):
            me = "http://%s:%d" % self.server.server_address[:2]
            data = data.replace(sys.argv[1].rstrip("/").encode(), me.encode())
        self.send_response(status)
        for k, v in res.getheaders():
            if k.lower() not in HOP:
                self.send_header(k, v)
        if status != 204:
            self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if status != 204:
            self.wfile.write(data)
        conn.close()

    do_GET = do_PUT = do_POST = forward

    def log_message(self, *args):
        pass


def main():
    ThreadingHTTPServer.request_queue_size = 128  # a fleet connects many at once
    ThreadingHTTPServer.daemon_threads = True
    server = ThreadingHTTPServer(("127.0.0.1", 0), Proxy)
    with open(sys.argv[2] + ".tmp", "w") as f:
        f.write(str(server.server_address[1]))
    os.rename(sys.argv[2] + ".tmp", sys.argv[2])
    server.serve_forever()


if __name__ == "__main__":
    main()
