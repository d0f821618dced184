"""Setting a new login identifier after the old one was retired (AUTH-10)."""

from fastapi import APIRouter, Response, status
from pydantic import BaseModel, Field

from konto.auth.api.deps import ClientDep, LoginIdsDep
from konto.auth.api.docs import model_example, problem
from konto.auth.api.sessions import ChallengeOut, TokensOut, login_result

router = APIRouter(tags=["sessions"])


class NewLoginId(BaseModel):
    model_config = model_example({"change_token": "q3Jx…", "email": "anna@mail.example"})

    change_token: str = Field(
        max_length=128, description="From the `login-id-required` answer of `POST /v1/sessions`"
    )
    email: str = Field(max_length=320, description="The new login identifier, an e-mail address")


@router.post(
    "/v1/login-id",
    status_code=status.HTTP_201_CREATED,
    summary="Set a new login identifier after the old one was retired, and go on logging in "
    "(AUTH-10)",
    responses={
        202: {"model": ChallengeOut, "description": "Second factor required (AUTH-9)"},
        400: problem(
            400,
            "invalid-change-token",
            "Invalid change token",
            "the token is unknown, used or expired; log in with your username again",
        ),
        409: problem(409, "email-taken", "Already registered", "this login identifier is taken"),
        422: problem(
            422,
            "validation-error",
            "Invalid request",
            "check these fields: email",
            errors=[{"field": "email", "message": "not an e-mail address", "type": "value_error"}],
        ),
    },
)
async def set_login_id(
    body: NewLoginId, client: ClientDep, login_ids: LoginIdsDep, response: Response
) -> TokensOut | ChallengeOut:
    result = await login_ids.set_new(body.change_token, body.email, client)
    return login_result(result, response)
