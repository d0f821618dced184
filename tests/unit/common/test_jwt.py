"""AUTH-3 for consuming services: access tokens verified from a JWKS URL, cached, refreshed on
an unknown key id, and rejected when expired, tampered or from another issuer."""

import json
import time
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from konto.common.jwt import InvalidToken, JwksVerifier

ISSUER = "http://auth.test"


class _Auth:
    """Plays auth's JWKS endpoint; counts how often it is asked."""

    def __init__(self) -> None:
        self.keys: dict[str, Ed25519PrivateKey] = {}
        self.fetches = 0
        self.rotate()

    def rotate(self) -> str:
        kid = f"k{len(self.keys) + 1}"
        self.keys[kid] = Ed25519PrivateKey.generate()
        self.current = kid
        return kid

    def handler(self, request: httpx.Request) -> httpx.Response:
        self.fetches += 1
        jwks = []
        for kid, key in self.keys.items():
            public = json.loads(jwt.algorithms.OKPAlgorithm.to_jwk(key.public_key()))
            jwks.append({**public, "kid": kid, "alg": "EdDSA", "use": "sig"})
        return httpx.Response(200, json={"keys": jwks})

    def token(self, **overrides: Any) -> str:
        now = int(time.time())
        claims = {
            "iss": ISSUER,
            "sub": "u1",
            "sid": "s1",
            "amr": ["pwd"],
            "iat": now,
            "exp": now + 300,
            **overrides,
        }
        return jwt.encode(
            claims, self.keys[self.current], algorithm="EdDSA", headers={"kid": self.current}
        )


@pytest.fixture
def auth() -> _Auth:
    return _Auth()


def _verifier(auth: _Auth, **kwargs: Any) -> JwksVerifier:
    http = httpx.AsyncClient(transport=httpx.MockTransport(auth.handler))
    return JwksVerifier("http://auth.test/.well-known/jwks.json", ISSUER, http=http, **kwargs)


async def test_valid_token_and_keys_are_cached_AUTH_3(auth: _Auth) -> None:
    verifier = _verifier(auth)
    for _ in range(5):
        claims = await verifier.verify(auth.token())
    assert (claims.sub, claims.sid, claims.amr) == ("u1", "s1", ["pwd"])
    assert auth.fetches == 1


async def test_unknown_kid_refreshes_once_then_is_rate_limited_AUTH_3(auth: _Auth) -> None:
    verifier = _verifier(auth, min_refresh_seconds=0.0)
    await verifier.verify(auth.token())
    auth.rotate()
    assert (await verifier.verify(auth.token())).sub == "u1"
    assert auth.fetches == 2

    limited = _verifier(auth, min_refresh_seconds=60.0)
    await limited.verify(auth.token())
    fetches = auth.fetches
    forged = jwt.encode(
        {"sub": "x"}, Ed25519PrivateKey.generate(), algorithm="EdDSA", headers={"kid": "forged"}
    )
    for _ in range(3):
        with pytest.raises(InvalidToken):
            await limited.verify(forged)
    assert auth.fetches == fetches


@pytest.mark.parametrize("claims", [{"exp": int(time.time()) - 10}, {"iss": "http://evil.test"}])
async def test_expired_or_foreign_token_is_rejected_AUTH_3(
    auth: _Auth, claims: dict[str, Any]
) -> None:
    with pytest.raises(InvalidToken):
        await _verifier(auth).verify(auth.token(**claims))


async def test_tampered_token_is_rejected_AUTH_3(auth: _Auth) -> None:
    header, _payload, signature = auth.token().split(".")
    other = jwt.encode({"sub": "admin"}, "k" * 32, algorithm="HS256").split(".")[1]
    with pytest.raises(InvalidToken):
        await _verifier(auth).verify(f"{header}.{other}.{signature}")
    with pytest.raises(InvalidToken):
        await _verifier(auth).verify("not-a-token")


async def test_a_verified_token_is_remembered_until_it_expires_AUTH_3(
    auth: _Auth, monkeypatch: pytest.MonkeyPatch
) -> None:
    verifier = _verifier(auth)
    token = auth.token(exp=int(time.time()) + 60)
    checked = 0
    real = verifier._verify

    async def counting(token: str) -> Any:
        nonlocal checked
        checked += 1
        return await real(token)

    monkeypatch.setattr(verifier, "_verify", counting)
    for _ in range(3):
        assert (await verifier.verify(token)).sub == "u1"
    assert checked == 1
    later = time.time() + 61
    monkeypatch.setattr(time, "time", lambda: later)
    await verifier.verify(token)  # past its exp the token is checked in full again
    assert checked == 2


async def test_remembered_tokens_are_bounded_AUTH_3(auth: _Auth) -> None:
    verifier = _verifier(auth, remember=2)
    tokens = [auth.token(sid=f"s{i}") for i in range(3)]
    for token in tokens:
        await verifier.verify(token)
    assert list(verifier._verified) == tokens[1:]
