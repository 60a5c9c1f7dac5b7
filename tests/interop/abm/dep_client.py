#!/usr/bin/python3
"""An independent DEP API client for tests: OAuth 1.0a signatures by oauthlib (Debian
python3-oauthlib), HTTP by urllib. Prints one JSON line {"status": ..., "body": ...} per call.

  dep_client.py BASE TOKEN_FILE session [--nonce N] [--timestamp T] [--wrong-secret]
  dep_client.py BASE TOKEN_FILE call METHOD PATH [JSON_BODY]   (a session first, then the call)

DEP_TIMESTAMP in the environment sets oauth_timestamp (a server on a virtual clock)."""
import json
import os
import sys
import time
import urllib.error
import urllib.request

from oauthlib import oauth1


def request(method, url, headers, body=None):
    req = urllib.request.Request(url, data=body.encode() if body else None, method=method,
                                 headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=30) as res:
            return res.status, res.read().decode(), dict(res.headers)
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode(), dict(e.headers)


def session(base, token, nonce=None, timestamp=None, wrong_secret=False):
    client = oauth1.Client(token["consumer_key"],
                           client_secret=token["consumer_secret"] + ("x" if wrong_secret else ""),
                           resource_owner_key=token["access_token"],
                           resource_owner_secret=token["access_secret"],
                           signature_method=oauth1.SIGNATURE_HMAC_SHA1, realm="ADM",
                           nonce=nonce, timestamp=timestamp)
    uri, headers, _ = client.sign(base + "/session", http_method="GET")
    headers["X-Server-Protocol-Version"] = "3"
    return request("GET", uri, headers)


def main():
    base, token = sys.argv[1].rstrip("/"), json.load(open(sys.argv[2]))
    verb, args = sys.argv[3], sys.argv[4:]
    if verb == "session":
        opts = {"nonce": None, "timestamp": None, "wrong_secret": False}
        i = 0
        while i < len(args):
            if args[i] == "--wrong-secret":
                opts["wrong_secret"] = True
                i += 1
            else:
                opts[args[i][2:]] = args[i + 1]
                i += 2
        status, body, _ = session(base, token, **opts)
        print(json.dumps({"status": status, "body": body}))
        return
    status, body, _ = session(base, token, timestamp=os.environ.get("DEP_TIMESTAMP"))
    if status != 200:
        print(json.dumps({"status": status, "body": body}))
        return
    auth = json.loads(body)["auth_session_token"]
    method, path = args[0], args[1]
    payload = args[2] if len(args) > 2 else None
    headers = {"X-ADM-Auth-Session": auth, "X-Server-Protocol-Version": "3",
               "Content-Type": "application/json;charset=UTF8"}
    status, body, hdrs = request(method, base + path, headers, payload)
    print(json.dumps({"status": status, "body": body,
                      "retry_after": hdrs.get("Retry-After", "")}))


if __name__ == "__main__":
    main()
