from typing import Annotated

from fastapi import Depends, Request

from konto.common.errors import Problem
from konto.common.jwt import Claims, CurrentClaims
from konto.common.state import from_state
from konto.notify.store.deliveries import Deliveries
from konto.notify.store.preferences import Preferences
from konto.notify.store.staff import Staff


async def _support_staff(request: Request, claims: CurrentClaims) -> Claims:
    """The caller must be listed as support staff (`python -m konto.notify.cli add-staff`)."""
    staff: Staff = request.app.state.staff
    if not await staff.contains(claims.sub):
        raise Problem(403, "Forbidden", "only support staff may do this", code="not-staff")
    return claims


DeliveriesDep = Annotated[Deliveries, from_state("deliveries")]
PreferencesDep = Annotated[Preferences, from_state("preferences")]
SupportClaims = Annotated[Claims, Depends(_support_staff)]
