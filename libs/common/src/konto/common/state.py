"""The objects a service's app.py builds at start live on `app.state`; endpoints reach them
through this one dependency instead of a getter function per object."""

from typing import Any

from fastapi import Depends, Request


def from_state(name: str) -> Any:
    """`Annotated[OrdersService, from_state("orders")]`: the object stored as
    `app.state.orders`; the annotation carries its type for the endpoint."""

    def dependency(request: Request) -> Any:
        return getattr(request.app.state, name)

    return Depends(dependency)
