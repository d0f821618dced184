from typing import Annotated

from fastapi import Depends, Request

from konto.auth.service.accounts import Accounts
from konto.auth.store.signing_keys import SigningKeys


def _accounts(request: Request) -> Accounts:
    accounts: Accounts = request.app.state.accounts
    return accounts


def _keys(request: Request) -> SigningKeys:
    keys: SigningKeys = request.app.state.keys
    return keys


AccountsDep = Annotated[Accounts, Depends(_accounts)]
KeysDep = Annotated[SigningKeys, Depends(_keys)]
