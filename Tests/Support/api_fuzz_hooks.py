"""schemathesis hooks for the Kisum API fuzz test: every request carries fresh credentials.

Environment (set by APIFuzz in Tests/PlatformTesting):
  KISUM_FUZZ_SERVICE_KEY  base64 of the calling service's raw Ed25519 private key (internal routes)
  KISUM_FUZZ_CALLER       the calling service (e.g. admin)
  KISUM_FUZZ_CALLEE       the service called (e.g. auth)
  KISUM_FUZZ_LOGIN_URL, KISUM_FUZZ_LOGIN_EMAIL, KISUM_FUZZ_LOGIN_PASSWORD
                          a user to sign in as (public routes); signed in again after any 401,
                          since fuzzed operations log out, revoke sessions and rotate keys
  KISUM_FUZZ_ACTING_USER  the person an internal call acts for (x-kisum-acting-user)
  KISUM_FUZZ_ORG          the company every request names in x-org (business backends: the
                          signed-in user's own, so operations get past the access layer)
Service credentials live 60 s, so one is minted per request rather than passed once.
"""
import base64
import hashlib
import json
import os
import time
import uuid

import requests
import schemathesis
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _service_token(private_b64: str, caller: str, callee: str) -> str:
    key = Ed25519PrivateKey.from_private_bytes(base64.b64decode(private_b64))
    public = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    kid = f"{caller}:{hashlib.sha256(public).digest()[:8].hex()}"
    now = int(time.time())
    header = {"alg": "EdDSA", "typ": "JWT", "kid": kid}
    claims = {"iss": caller, "sub": caller, "aud": [callee], "iat": now, "exp": now + 60,
              "jti": str(uuid.uuid4()), "kind": "service"}
    signing_input = _b64url(json.dumps(header).encode()) + "." + _b64url(json.dumps(claims).encode())
    return signing_input + "." + _b64url(key.sign(signing_input.encode()))


_access_token = None


def _bearer():
    global _access_token
    env = os.environ
    if _access_token is None and env.get("KISUM_FUZZ_LOGIN_URL"):
        reply = requests.post(env["KISUM_FUZZ_LOGIN_URL"], timeout=10,
                              json={"email": env["KISUM_FUZZ_LOGIN_EMAIL"], "password": env["KISUM_FUZZ_LOGIN_PASSWORD"]})
        _access_token = reply.json().get("access_token") if reply.status_code == 200 else None
    return _access_token


@schemathesis.hook
def after_call(ctx, case, response):
    global _access_token
    if response.status_code == 401:
        _access_token = None


@schemathesis.hook
def before_call(ctx, case, kwargs):
    headers = dict(case.headers or {})
    env = os.environ
    if env.get("KISUM_FUZZ_SERVICE_KEY"):
        headers["x-kisum-service-token"] = _service_token(env["KISUM_FUZZ_SERVICE_KEY"], env["KISUM_FUZZ_CALLER"],
                                                          env["KISUM_FUZZ_CALLEE"])
    if env.get("KISUM_FUZZ_ACTING_USER"):
        headers["x-kisum-acting-user"] = env["KISUM_FUZZ_ACTING_USER"]
    if env.get("KISUM_FUZZ_ORG"):
        headers = {name: value for name, value in headers.items() if name.lower() != "x-org"}
        headers["x-org"] = env["KISUM_FUZZ_ORG"]
    bearer = _bearer()
    if bearer:
        headers = {name: value for name, value in headers.items() if name.lower() != "authorization"}
        headers["authorization"] = "Bearer " + bearer
    case.headers = headers
