"""Test-only RS256 key material for the cluster environment: key generation, JWKS, token minting.

Pure standard library (no openssl, no third-party packages), so the same code runs on the CI machine and in the
compose `keygen` and `test-runner` containers. The keys are generated fresh for every run and are TEST MATERIAL
ONLY: never use this module, or anything it writes, to protect anything real.

    python3 compose/cluster/testkeys.py generate DIR   # writes DIR/jwks.json, DIR/jwks-routes.json,
                                                       # DIR/test-only-private-key.json
"""

import base64
import hashlib
import json
import math
import os
import secrets
import sys
import time

KEY_ID = "portico-cluster-test-key"
ISSUER = "https://idp.portico-cluster.test/"
AUDIENCE = "https://api.portico-cluster.test"
PRIVATE_KEY_FILE = "test-only-private-key.json"

_SMALL_PRIMES = [p for p in range(3, 2000) if all(p % d for d in range(2, int(p**0.5) + 1))]
# DER prefix of a SHA-256 DigestInfo (RFC 8017, section 9.2, note 1).
_SHA256_DIGEST_INFO = bytes.fromhex("3031300d060960864801650304020105000420")


def _is_probable_prime(candidate: int, rounds: int = 40) -> bool:
    for prime in _SMALL_PRIMES:
        if candidate % prime == 0:
            return candidate == prime
    exponent, shifts = candidate - 1, 0
    while exponent % 2 == 0:
        exponent //= 2
        shifts += 1
    for _ in range(rounds):
        witness = secrets.randbelow(candidate - 3) + 2
        value = pow(witness, exponent, candidate)
        if value in (1, candidate - 1):
            continue
        for _ in range(shifts - 1):
            value = pow(value, 2, candidate)
            if value == candidate - 1:
                break
        else:
            return False
    return True


def _random_prime(bits: int) -> int:
    while True:
        # Top two bits set so p·q has exactly 2·bits bits; odd.
        candidate = secrets.randbits(bits) | (0b11 << (bits - 2)) | 1
        if _is_probable_prime(candidate):
            return candidate


def generate_rsa_key(bits: int = 2048) -> dict:
    """A fresh RSA key as {"n", "e", "d"} integers."""
    public_exponent = 65537
    while True:
        p, q = _random_prime(bits // 2), _random_prime(bits // 2)
        if p == q:
            continue
        totient = math.lcm(p - 1, q - 1)
        if math.gcd(public_exponent, totient) == 1:
            return {"n": p * q, "e": public_exponent, "d": pow(public_exponent, -1, totient)}


def b64url(data: bytes) -> str:
    """Unpadded base64url, as JOSE wants."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _int_bytes(value: int) -> bytes:
    return value.to_bytes((value.bit_length() + 7) // 8, "big")


def jwks(key: dict, kid: str = KEY_ID) -> dict:
    """The public half of `key` as a JWKS document."""
    return {
        "keys": [
            {"kty": "RSA", "kid": kid, "use": "sig", "alg": "RS256", "n": b64url(_int_bytes(key["n"])),
             "e": b64url(_int_bytes(key["e"]))}
        ]
    }


def sign_rs256(key: dict, message: bytes) -> bytes:
    """RSASSA-PKCS1-v1_5 with SHA-256 (RFC 8017, section 8.2)."""
    size = (key["n"].bit_length() + 7) // 8
    digest_info = _SHA256_DIGEST_INFO + hashlib.sha256(message).digest()
    encoded = b"\x00\x01" + b"\xff" * (size - len(digest_info) - 3) + b"\x00" + digest_info
    return pow(int.from_bytes(encoded, "big"), key["d"], key["n"]).to_bytes(size, "big")


def mint_token(key: dict, kid: str = KEY_ID, lifetime: int = 600, now: float | None = None, **claims) -> str:
    """An RS256 JWT with the cluster's issuer and audience, valid for `lifetime` seconds from `now`."""
    issued = int(time.time() if now is None else now)
    payload = {"iss": ISSUER, "aud": AUDIENCE, "sub": "cluster-test-user", "iat": issued, "exp": issued + lifetime}
    payload.update(claims)
    header = {"alg": "RS256", "typ": "JWT", "kid": kid}
    signing_input = (
        b64url(json.dumps(header, separators=(",", ":")).encode()) + "." +
        b64url(json.dumps(payload, separators=(",", ":")).encode())
    )
    return signing_input + "." + b64url(sign_rs256(key, signing_input.encode("ascii")))


def write_key_directory(directory: str) -> dict:
    """Generates a key and writes the JWKS, a mock-backend routes file serving it, and the private key."""
    os.makedirs(directory, exist_ok=True)
    key = generate_rsa_key()
    with open(os.path.join(directory, "jwks.json"), "w") as file:
        json.dump(jwks(key), file)
    with open(os.path.join(directory, "jwks-routes.json"), "w") as file:
        json.dump([{"method": "GET", "path": "/jwks.json", "body_file": "jwks.json"}], file)
    private = {"warning": "TEST MATERIAL ONLY, generated per run by compose/cluster/testkeys.py", "kid": KEY_ID,
               "n": hex(key["n"]), "e": hex(key["e"]), "d": hex(key["d"])}
    path = os.path.join(directory, PRIVATE_KEY_FILE)
    with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644), "w") as file:
        json.dump(private, file)
    return key


def read_private_key(directory: str) -> dict:
    """The key written by `write_key_directory`."""
    with open(os.path.join(directory, PRIVATE_KEY_FILE)) as file:
        stored = json.load(file)
    return {name: int(stored[name], 16) for name in ("n", "e", "d")}


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] != "generate":
        sys.exit("usage: testkeys.py generate DIR")
    write_key_directory(sys.argv[2])
    print(f"testkeys: wrote a test-only RS256 key and its JWKS to {sys.argv[2]}")
