from typing import Annotated

from fastapi import Depends, Header, Query

from konto.common.errors import Problem
from konto.common.events import utcnow
from konto.common.jwt import CurrentClaims
from konto.common.state import from_state
from konto.verification.service.cases import CaseDesk, CaseNotFound, LinkExpired
from konto.verification.service.review import NotAnAgent, Review
from konto.verification.service.steps import Steps
from konto.verification.store.cases import Case

DeskDep = Annotated[CaseDesk, from_state("desk")]
StepsDep = Annotated[Steps, from_state("steps")]
ReviewDep = Annotated[Review, from_state("review")]


async def case_by_token(
    case_id: str,
    desk: DeskDep,
    token: Annotated[str | None, Query(description="The case link's token")] = None,
    x_case_token: Annotated[str | None, Header(description="The case link's token")] = None,
) -> Case:
    """The case the link's token opens, without login (VER-1)."""
    try:
        return await desk.by_token(case_id, x_case_token or token or "", utcnow())
    except CaseNotFound as exc:
        raise Problem(404, "Not found", "no case for this link", code="case-not-found") from exc
    except LinkExpired as exc:
        raise Problem(410, "Link expired", "ask for a new case", code="case-link-expired") from exc


CaseByToken = Annotated[Case, Depends(case_by_token)]


async def agent_id(claims: CurrentClaims, review: ReviewDep) -> str:
    """The caller's user id, if the caller is a support agent (VER-3)."""
    try:
        await review.ensure_agent(claims.sub)
    except NotAnAgent as exc:
        raise Problem(403, "Forbidden", "for support agents only", code="not-an-agent") from exc
    return claims.sub


AgentId = Annotated[str, Depends(agent_id)]
