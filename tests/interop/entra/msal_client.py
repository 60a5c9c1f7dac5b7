#!/usr/bin/python3
"""Microsoft's own MSAL for Python, and PyJWT, against mdmlab's Entra simulator.

Usage: msal_client.py AUTHORITY CLIENT_ID SECRET CA_FILE REDIRECT_URI UPN PASSWORD

Runs the flows an MDM server and a Mac's sign-in page use, prints one JSON object with what
happened; the C++ test asserts on it. Nothing here is mdmlab code.
"""
import hashlib
import html.parser
import json
import sys
import urllib.parse

import jwt
import msal
import requests

authority, client_id, secret, ca_file, redirect_uri, upn, password = sys.argv[1:8]
out = {}


def http_client():
    """Trusts the simulator's CA only (a session's verify loses to REQUESTS_CA_BUNDLE unless
    the environment is ignored)."""
    session = requests.Session()
    session.verify = ca_file
    session.trust_env = False
    return session


def app(credential=secret):
    return msal.ConfidentialClientApplication(
        client_id, client_credential=credential, authority=authority,
        validate_authority=False, http_client=http_client())


class Form(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.action, self.fields, self.error = None, {}, None
        self._in_error = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.action = a.get("action")
        if tag == "input" and a.get("type") == "hidden":
            self.fields[a["name"]] = a.get("value", "")
        if tag == "p" and a.get("id") == "error":
            self._in_error = True

    def handle_data(self, data):
        if self._in_error:
            self.error = data
            self._in_error = False


def sign_in(auth_uri, the_password):
    """Does what a browser does with the sign-in page: GET it, POST the form."""
    page = requests.get(auth_uri, verify=ca_file, allow_redirects=False)
    form = Form()
    form.feed(page.text)
    target = urllib.parse.urljoin(auth_uri, form.action)
    fields = dict(form.fields, login=upn, passwd=the_password)
    answer = requests.post(target, data=fields, verify=ca_file, allow_redirects=False)
    return page, answer


config = requests.get(authority + "/v2.0/.well-known/openid-configuration", verify=ca_file).json()
jwks = requests.get(config["jwks_uri"], verify=ca_file).json()
keys = {k["kid"]: jwt.PyJWK(k).key for k in jwks["keys"]}


def verify(token, audience, issuer):
    kid = jwt.get_unverified_header(token)["kid"]
    return jwt.decode(token, keys[kid], algorithms=["RS256"], audience=audience, issuer=issuer)


# 1. Client credentials (the compliance proxy's and directory sync's flow).
cc = app().acquire_token_for_client(scopes=["https://graph.microsoft.com/.default"])
out["client_credentials"] = "access_token" in cc
claims = verify(cc["access_token"], "https://graph.microsoft.com",
                "https://sts.windows.net/" + config["issuer"].split("/")[-2] + "/")
out["client_credentials_appid"] = claims.get("appid")
wrong = app("not-the-secret").acquire_token_for_client(
    scopes=["https://graph.microsoft.com/.default"])
out["wrong_secret_error"] = wrong.get("error")

# 2. Authorization code with PKCE (a Mac's SSO page through the MDM server).
cca = app()
flow = cca.initiate_auth_code_flow(scopes=["User.Read"], redirect_uri=redirect_uri)
_, bad = sign_in(flow["auth_uri"], "wrong-" + password)
bad_form = Form()
bad_form.feed(bad.text)
out["wrong_password_status"] = bad.status_code
out["wrong_password_error"] = (bad_form.error or "")[:12]
page, answer = sign_in(flow["auth_uri"], password)
out["sign_in_status"] = answer.status_code
location = answer.headers.get("Location", "")
query = dict(urllib.parse.parse_qsl(urllib.parse.urlparse(location).query))
out["redirected_to_redirect_uri"] = location.startswith(redirect_uri)
out["state_returned"] = query.get("state") == flow["state"]
result = cca.acquire_token_by_auth_code_flow(flow, query)
out["auth_code_error"] = result.get("error")
out["id_token_upn"] = result.get("id_token_claims", {}).get("preferred_username")
id_claims = verify(result["id_token"], client_id, config["issuer"])
# MSAL sends SHA-256(nonce) and checks it itself; the token carries what was sent.
out["id_token_nonce_matches"] = (
    id_claims.get("nonce") == hashlib.sha256(flow["nonce"].encode("ascii")).hexdigest())
out["has_refresh_token"] = "refresh_token" in result

# The same code again: refused (single-use).
again = requests.post(config["token_endpoint"], verify=ca_file, data={
    "grant_type": "authorization_code", "client_id": client_id, "client_secret": secret,
    "code": query["code"], "redirect_uri": redirect_uri,
    "code_verifier": flow["code_verifier"]}).json()
out["code_replay_error"] = again.get("error")

# A code with the wrong PKCE verifier: refused.
flow2 = cca.initiate_auth_code_flow(scopes=["User.Read"], redirect_uri=redirect_uri)
_, answer2 = sign_in(flow2["auth_uri"], password)
q2 = dict(urllib.parse.parse_qsl(urllib.parse.urlparse(answer2.headers["Location"]).query))
pkce = requests.post(config["token_endpoint"], verify=ca_file, data={
    "grant_type": "authorization_code", "client_id": client_id, "client_secret": secret,
    "code": q2["code"], "redirect_uri": redirect_uri, "code_verifier": "x" * 43}).json()
out["pkce_mismatch_error"] = pkce.get("error")

# 3. Refresh tokens rotate: the new one works, the used one does not.
refreshed = cca.acquire_token_by_refresh_token(result["refresh_token"], scopes=["User.Read"])
out["refresh_ok"] = "access_token" in refreshed
reused = cca.acquire_token_by_refresh_token(result["refresh_token"], scopes=["User.Read"])
out["refresh_reuse_error"] = reused.get("error")

print(json.dumps(out))
