"""Issue 9, X-4: the tenant matrix beyond orgs (test_orgs_isolation.py): every billing route
under an organization by owner, administrator, billing clerk, collaborator, external and a
foreign organization's owner; verification's case routes by the case's own link, another
case's link and bearer tokens alone; notify's routes by a person and support staff rules.

The routes come from each service's OpenAPI document: a new route without a matrix entry fails
here until someone decides who may call it. Calls that would change something aim at ids that
do not exist, so the run does not depend on call order; where a caller is allowed in, only the
door is checked (not a 5xx, not the refusal), since what lies behind it has its own tests."""

import asyncio
import uuid
from typing import Any

import httpx
import pytest

from tests.support.abuse_people import someone
from tests.support.billing import CH_ADDRESS, wait_for_status
from tests.support.identity import Person
from tests.support.orgs import create_org, join
from tests.support.processes import ServiceProcess

pytestmark = [pytest.mark.servers, pytest.mark.abuse]

GHOST = "0190f5c2-0000-7000-8000-000000000000"


def _operations(service: ServiceProcess) -> set[tuple[str, str]]:
    document = httpx.get(f"{service.url}/openapi.json", timeout=30).json()
    return {
        (method.upper(), path)
        for path, operations in document["paths"].items()
        for method in operations
        if path.startswith("/v1/")
    }


def _code(answer: httpx.Response) -> str | None:
    if answer.headers.get("content-type") != "application/problem+json":
        return None
    kind: str = answer.json()["type"]
    return kind.rsplit("/", 1)[-1]


def _call(
    service: ServiceProcess,
    method: str,
    path: str,
    body: Any,
    headers: dict[str, str],
    params: dict[str, str],
) -> httpx.Response:
    return httpx.request(
        method,
        f"{service.url}{path.format(**params)}",
        json=body,
        headers={**headers, "idempotency-key": uuid.uuid4().hex},
        timeout=60,
    )


Call = tuple[str, str, str, Any, dict[str, str], dict[str, str]]


def _call_all(
    service: ServiceProcess, calls: list[Call], parallel: int = 8
) -> list[httpx.Response]:
    """The calls (caller, method, path, body, headers, params) a few at a time: each is
    independent of the others, and one by one they take minutes on a busy machine."""

    async def run() -> list[httpx.Response]:
        gate = asyncio.Semaphore(parallel)
        async with httpx.AsyncClient(base_url=service.url, timeout=120) as client:

            async def one(call: Call) -> httpx.Response:
                _caller, method, path, body, headers, params = call
                async with gate:
                    return await client.request(
                        method,
                        path.format(**params),
                        json=body,
                        headers={**headers, "idempotency-key": uuid.uuid4().hex},
                    )

            return list(await asyncio.gather(*(one(call) for call in calls)))

    return asyncio.run(run())


# -- billing (BIL-*, X-4) ----------------------------------------------------------------------

# (method, path) -> (body, rule). Rules: "billing": billing rights pass, other members 403
# `no-billing-rights`, everyone else 404 `org-not-found`; "staff": support only, 403 `not-staff`
# for anyone else (the organization is never looked at, so nothing leaks).
BILLING: dict[tuple[str, str], tuple[Any, str]] = {
    ("GET", "/v1/orgs/{org}/products"): (None, "billing"),
    ("POST", "/v1/orgs/{org}/products"): ({"type": "domain.ch", "label": "tenant.ch"}, "billing"),
    ("GET", "/v1/orgs/{org}/billing-addresses"): (None, "billing"),
    ("POST", "/v1/orgs/{org}/billing-addresses"): (CH_ADDRESS, "billing"),
    ("PATCH", "/v1/orgs/{org}/billing-addresses/{address_id}"): ({"city": "Bern"}, "billing"),
    ("DELETE", "/v1/orgs/{org}/billing-addresses/{address_id}"): (None, "billing"),
    ("GET", "/v1/orgs/{org}/balance"): (None, "billing"),
    ("POST", "/v1/orgs/{org}/balance/top-ups"): (
        {"amount": 100, "currency": "CHF", "card_token": "tok_declined"},
        "billing",
    ),
    ("POST", "/v1/orgs/{org}/balance/withdrawals"): (
        {"amount": 100, "currency": "CHF"},
        "billing",
    ),
    ("GET", "/v1/orgs/{org}/payments/due"): (None, "billing"),
    ("POST", "/v1/orgs/{org}/payments"): (
        {"items": [{"product_id": GHOST, "months": 12}], "method": "balance"},
        "billing",
    ),
    ("GET", "/v1/orgs/{org}/invoices"): (None, "billing"),
    ("GET", "/v1/orgs/{org}/invoices/{invoice_id}/pdf"): (None, "billing"),
    ("POST", "/v1/orgs/{org}/orders"): (
        {"lines": [{"product_type": "domain.ch", "months": 12, "label": "cart.ch"}]},
        "billing",
    ),
    ("GET", "/v1/orgs/{org}/orders"): (None, "billing"),
    ("GET", "/v1/orgs/{org}/orders/{order_id}"): (None, "billing"),
    ("POST", "/v1/orgs/{org}/orders/{order_id}/checkout"): ({"method": "balance"}, "billing"),
    ("POST", "/v1/orgs/{org}/orders/{order_id}/unlock-mail"): (None, "billing"),
    ("POST", "/v1/orgs/{org}/orders/{order_id}/cancel"): (None, "billing"),
    ("GET", "/v1/orgs/{org}/free-grants"): (None, "billing"),
    ("POST", "/v1/orgs/{org}/free-grants"): ({"product_type": "domain.ch"}, "staff"),
    ("GET", "/v1/orgs/{org}/proformas"): (None, "billing"),
    ("GET", "/v1/orgs/{org}/proformas/{proforma_id}"): (None, "billing"),
    ("GET", "/v1/orgs/{org}/proformas/{proforma_id}/pdf"): (None, "billing"),
    ("POST", "/v1/orgs/{org}/proformas/{proforma_id}/cancel"): (None, "billing"),
    ("POST", "/v1/orgs/{org}/products/{product_id}/cancellation"): (None, "billing"),
    ("POST", "/v1/orgs/{org}/products/{product_id}/cancellation/confirm"): (
        {"token": "not-the-mailed-token"},
        "billing",
    ),
}
# Routes outside any organization, for the completeness check: not part of the matrix.
BILLING_UNSCOPED = {
    ("GET", "/v1/catalog"),
    ("POST", "/v1/promo-codes"),
    ("POST", "/v1/bank-statements"),
    ("GET", "/v1/bank-statements"),
    ("GET", "/v1/bank-statements/{statement_id}"),
}
BILLING_RIGHTS = {"legal_representative": True, "administrator": True, "billing": True}


def _billing_expectation(rule: str, caller: str) -> tuple[int, str] | None:
    """(status, problem code) the caller must get, or None: let in."""
    if rule == "staff":
        return 403, "not-staff"
    if caller in BILLING_RIGHTS:
        return None
    if caller in ("collaborator", "external"):
        return 403, "no-billing-rights"
    return 404, "org-not-found"


def test_every_billing_route_lists_who_may_call_it_X_4(
    auth: ServiceProcess, billing: ServiceProcess
) -> None:
    documented = _operations(billing)
    scoped = {op for op in documented if "{org}" in op[1]}
    assert scoped == set(BILLING), (
        f"without a matrix entry: {sorted(scoped - set(BILLING))}; "
        f"gone: {sorted(set(BILLING) - scoped)}"
    )
    assert documented - scoped == BILLING_UNSCOPED


def _billing_people(
    auth: ServiceProcess, orgs: ServiceProcess, billing: ServiceProcess
) -> tuple[dict[str, Person], str, str]:
    owner, outsider = someone(auth), someone(auth)
    org = create_org(orgs, owner, "Tenant Billing AG")
    foreign = create_org(orgs, outsider, "Foreign GmbH")  # the outsider runs their own
    people = {"legal_representative": owner, "outsider": outsider}
    for caller, role, access in (
        ("administrator", "administrator", {}),
        ("billing", "collaborator", {"billing": True}),
        ("collaborator", "collaborator", {}),
        ("external", "external", {}),
    ):
        people[caller] = someone(auth)
        join(orgs, owner, org, people[caller], role, **access)
    for caller in BILLING_RIGHTS:
        wait_for_status(billing, people[caller], org, 200)
    for caller in ("collaborator", "external"):
        wait_for_status(billing, people[caller], org, 403)
    wait_for_status(billing, outsider, foreign, 200)
    return people, org, foreign


def _own_resources(billing: ServiceProcess, owner: Person, org: str) -> dict[str, str]:
    """Real ids of the organization's address, product and order: an outsider aims at these."""

    def create(path: str, body: dict[str, Any]) -> str:
        answer = _call(billing, "POST", f"/v1/orgs/{org}{path}", body, owner.headers, {})
        assert answer.status_code == 201, answer.text
        created: str = answer.json()["id"]
        return created

    return {
        "address_id": create("/billing-addresses", CH_ADDRESS),
        "product_id": create("/products", {"type": "domain.ch", "label": "mine.ch"}),
        "order_id": create(
            "/orders", {"lines": [{"product_type": "domain.ch", "months": 12, "label": "o.ch"}]}
        ),
    }


def test_billing_routes_as_every_role_and_as_a_foreign_organization_X_4_BIL_1(
    auth: ServiceProcess, orgs: ServiceProcess, billing: ServiceProcess
) -> None:
    people, org, foreign = _billing_people(auth, orgs, billing)
    ids = _own_resources(billing, people["legal_representative"], org)
    ghosts = dict.fromkeys(("address_id", "invoice_id", "order_id", "product_id"), GHOST)
    ghosts["proforma_id"] = GHOST

    calls = [
        (caller, method, path, body, person.headers, {"org": org, **ghosts})
        for (method, path), (body, _rule) in BILLING.items()
        for caller, person in people.items()
    ]
    failures = []
    for (caller, method, path, *_), answer in zip(calls, _call_all(billing, calls), strict=True):
        expected = _billing_expectation(BILLING[method, path][1], caller)
        got = (answer.status_code, _code(answer))
        if answer.status_code >= 500:
            failures.append((caller, method, path, got))
        elif expected is None and (
            got in {(404, "org-not-found"), (403, "no-billing-rights")} or answer.status_code == 401
        ):
            failures.append((caller, method, path, got, "refused"))
        elif expected is not None and got != expected:
            failures.append((caller, method, path, got, expected))
    assert failures == []

    # The foreign organization's owner aims at this organization's real ids through their own
    # organization's path: the answers are those for ids that do not exist, nothing changes.
    outsider = people["outsider"]
    foreign_failures = []
    for (method, path), (body, rule) in BILLING.items():
        own = [name for name in ids if "{" + name + "}" in path]
        if not own or rule != "billing":
            continue
        unknown = _call(billing, method, path, body, outsider.headers, {"org": foreign, **ghosts})
        params = {"org": foreign, **ghosts, **{name: ids[name] for name in own}}
        answer = _call(billing, method, path, body, outsider.headers, params)
        got, baseline = (answer.status_code, _code(answer)), (unknown.status_code, _code(unknown))
        if got != baseline or not 400 <= answer.status_code < 500:
            foreign_failures.append((method, path, got, baseline))
    assert foreign_failures == []
    owner = people["legal_representative"]
    addresses = _call(billing, "GET", f"/v1/orgs/{org}/billing-addresses", None, owner.headers, {})
    assert ids["address_id"] in {a["id"] for a in addresses.json()}
    order = _call(
        billing, "GET", f"/v1/orgs/{org}/orders/{ids['order_id']}", None, owner.headers, {}
    )
    assert order.json()["status"] == "cart"


# -- verification (VER-1, VER-3, X-4) ----------------------------------------------------------

CASE_BODIES: dict[tuple[str, str], Any] = {
    ("GET", "/v1/cases/{case_id}"): None,
    ("PUT", "/v1/cases/{case_id}/mobile"): {"mobile": "+41791234567"},
    ("POST", "/v1/cases/{case_id}/sms-code"): None,
    ("POST", "/v1/cases/{case_id}/sms-code/confirm"): {"code": "000000"},
    ("PUT", "/v1/cases/{case_id}/geolocation"): {
        "consent": True,
        "latitude": 47.37,
        "longitude": 8.54,
        "accuracy_m": 20,
    },
    ("PUT", "/v1/cases/{case_id}/document"): {"type": "passport"},
    ("POST", "/v1/cases/{case_id}/files/{kind}/upload"): {"content_type": "image/jpeg"},
    ("POST", "/v1/cases/{case_id}/files/{kind}/complete"): None,
    ("POST", "/v1/cases/{case_id}/submit"): None,
}
AGENT_ONLY = {
    ("GET", "/v1/review/cases"): None,
    ("GET", "/v1/review/cases/{case_id}"): None,
    ("POST", "/v1/review/cases/{case_id}/decision"): {"outcome": "approve", "reason": "looks fine"},
}


def _open_case(verification: ServiceProcess, person: Person) -> dict[str, str]:
    answer = httpx.post(
        f"{verification.url}/v1/cases",
        json={"reason": "first_payout", "locale": "en"},
        headers=person.headers,
        timeout=60,
    )
    assert answer.status_code == 201, answer.text
    case: dict[str, str] = answer.json()
    return case


def test_a_case_opens_only_with_its_own_link_VER_1_VER_3_X_4(
    auth: ServiceProcess, verification: ServiceProcess
) -> None:
    documented = _operations(verification)
    assert documented == {*CASE_BODIES, *AGENT_ONLY, ("POST", "/v1/cases")}, (
        "a verification route without a matrix entry"
    )
    anna, ben = someone(auth), someone(auth)
    case, other = _open_case(verification, anna), _open_case(verification, ben)
    assert httpx.post(f"{verification.url}/v1/cases", json={}, timeout=30).status_code == 401

    callers = {
        "another case's link": {"x-case-token": other["token"]},
        "the owner's login, no link": anna.headers,
        "another person's login": ben.headers,
        "no link at all": {},
    }
    params = {"case_id": case["id"], "kind": "front"}
    failures = []
    for (method, path), body in CASE_BODIES.items():
        for caller, headers in callers.items():
            answer = _call(verification, method, path, body, headers, params)
            if (answer.status_code, _code(answer)) != (404, "case-not-found"):
                failures.append((caller, method, path, answer.status_code, _code(answer)))
        own = _call(verification, method, path, body, {"x-case-token": case["token"]}, params)
        if own.status_code >= 500 or _code(own) == "case-not-found":
            failures.append(("own link", method, path, own.status_code, _code(own)))
    for (method, path), body in AGENT_ONLY.items():
        for caller, person in (("owner", anna), ("stranger", ben)):
            answer = _call(verification, method, path, body, person.headers, params)
            if (answer.status_code, _code(answer)) != (403, "not-an-agent"):
                failures.append((caller, method, path, answer.status_code, _code(answer)))
        anonymous = _call(verification, method, path, body, {}, params)
        if anonymous.status_code != 401:
            failures.append(("anonymous", method, path, anonymous.status_code))
    assert failures == []


# -- notify (NOT-4, X-4) -----------------------------------------------------------------------


def test_notify_shows_deliveries_to_staff_only_and_preferences_per_person_NOT_4_X_4(
    auth: ServiceProcess, notify: ServiceProcess
) -> None:
    documented = _operations(notify)
    assert documented == {
        ("GET", "/v1/deliveries"),
        ("GET", "/v1/me/preferences"),
        ("PUT", "/v1/me/preferences"),
    }, "a notify route without a matrix entry"
    anna, ben = someone(auth), someone(auth)
    for route in documented:
        assert _call(notify, *route, None, {}, {}).status_code == 401, route
    # A person never sees the delivery log, not even filtered to their own id.
    for query in ("", f"?user_id={anna.user_id}", f"?user_id={ben.user_id}"):
        log = httpx.get(f"{notify.url}/v1/deliveries{query}", headers=anna.headers, timeout=30)
        assert log.status_code == 403, log.text

    url = f"{notify.url}/v1/me/preferences"
    put = httpx.put(url, json={"opt_out": ["product_news"]}, headers=anna.headers, timeout=30)
    assert put.status_code == 200, put.text
    mine = httpx.get(url, headers=anna.headers, timeout=30).json()
    theirs = httpx.get(url, headers=ben.headers, timeout=30).json()
    assert mine["opt_out"] == ["product_news"]
    assert theirs["opt_out"] == []
