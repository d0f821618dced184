from typing import Any

from fastapi import APIRouter, Request

from konto.auth.api.deps import KeysDep

router = APIRouter(prefix="/.well-known", tags=["well-known"])


@router.get("/jwks.json", summary="Public keys that verify access tokens")
async def jwks(keys: KeysDep) -> dict[str, Any]:
    return await keys.jwks()


@router.get("/openid-configuration", summary="OIDC discovery document")
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
