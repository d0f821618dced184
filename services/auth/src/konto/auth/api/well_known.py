from typing import Any

from fastapi import APIRouter, Request

from konto.auth.api.deps import KeysDep
from konto.auth.api.docs import json_example

router = APIRouter(prefix="/.well-known", tags=["well-known"])


@router.get(
    "/jwks.json",
    summary="Public keys that verify access tokens",
    responses=json_example(
        {
            "keys": [
                {
                    "kty": "OKP",
                    "crv": "Ed25519",
                    "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo",
                    "kid": "0190f5c2",
                    "alg": "EdDSA",
                    "use": "sig",
                }
            ]
        }
    ),
)
async def jwks(keys: KeysDep) -> dict[str, Any]:
    return await keys.jwks()


@router.get(
    "/openid-configuration",
    summary="OIDC discovery document",
    responses=json_example(
        {
            "issuer": "https://auth.konto.example",
            "jwks_uri": "https://auth.konto.example/.well-known/jwks.json",
            "token_endpoint": "https://auth.konto.example/v1/sessions",
            "id_token_signing_alg_values_supported": ["EdDSA"],
            "subject_types_supported": ["public"],
            "response_types_supported": ["token"],
        }
    ),
)
async def openid_configuration(request: Request) -> dict[str, Any]:
    issuer = request.app.state.runtime.settings.jwt_issuer
    return {
        "issuer": issuer,
        "jwks_uri": f"{issuer}/.well-known/jwks.json",
        "token_endpoint": f"{issuer}/v1/sessions",
        "id_token_signing_alg_values_supported": ["EdDSA"],
        "subject_types_supported": ["public"],
        "response_types_supported": ["token"],
    }
