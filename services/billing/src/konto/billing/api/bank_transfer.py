"""Bank transfer (BIL-4, BIL-5): the organization's pro-forma invoices, cancelling them (or the
order awaiting one) before paying, and the import of bank statements (camt.054) by billing
support staff."""

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from konto.billing.api.deps import Actor
from konto.billing.service.bank_statements import BankStatementsService
from konto.billing.service.proforma_closing import ProformaClosing
from konto.billing.service.proformas import ProformasService
from konto.common.errors import Problem
from konto.common.jwt import CurrentClaims
from konto.common.state import from_state

router = APIRouter(tags=["bank transfer"])

MAX_STATEMENT_BYTES = 5 * 1024 * 1024


ProformasDep = Annotated[ProformasService, from_state("proformas")]
ClosingDep = Annotated[ProformaClosing, from_state("proforma_closing")]
StatementsDep = Annotated[BankStatementsService, from_state("bank_statements")]

_PROFORMA_EXAMPLE: dict[str, Any] = {
    "id": "0b6f4e0c-6f8e-4a43-9a53-6a8f5d1f2c10",
    "number": "PF-2026-000001",
    "status": "awaiting_payment",
    "issued_at": "2026-11-21T19:30:00+00:00",
    "purpose": "renewal",
    "order_id": None,
    "lines": [],
    "net": {"minor": 11880, "currency": "CHF"},
    "vat": {"minor": 962, "currency": "CHF"},
    "vat_rate_bp": 810,
    "total": {"minor": 12842, "currency": "CHF"},
    "payment": {
        "iban": "CH4431999123000889012",
        "creditor": "Konto Hosting AG",
        "reference": "000000000000002026000000012",
        "reference_printed": "00 00000 00000 00202 60000 00012",
        "reference_type": "QRR",
    },
    "invoice_id": None,
    "paid_at": None,
}
_CAMT_EXAMPLE = """<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.08">
  <BkToCstmrDbtCdtNtfctn>
    <GrpHdr><MsgId>MSG-2026-11-21-1</MsgId><CreDtTm>2026-11-21T18:00:00</CreDtTm></GrpHdr>
    <Ntfctn>
      <Id>NTF-1</Id>
      <Acct><Id><IBAN>CH4431999123000889012</IBAN></Id></Acct>
      <Ntry>
        <Amt Ccy="CHF">128.42</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>
        <BookgDt><Dt>2026-11-21</Dt></BookgDt><AcctSvcrRef>BANK-REF-1</AcctSvcrRef>
        <NtryDtls><TxDtls>
          <Amt Ccy="CHF">128.42</Amt><CdtDbtInd>CRDT</CdtDbtInd>
          <RmtInf><Strd><CdtrRefInf><Tp><CdOrPrtry><Prtry>QRR</Prtry></CdOrPrtry></Tp>
            <Ref>000000000000002026000000012</Ref></CdtrRefInf></Strd></RmtInf>
        </TxDtls></NtryDtls>
      </Ntry>
    </Ntfctn>
  </BkToCstmrDbtCdtNtfctn>
</Document>"""
_REPORT_EXAMPLE: dict[str, Any] = {
    "id": "5d0c0f67-2f0e-4a0e-8d3c-0c7d86c1b2a1",
    "message_id": "MSG-2026-11-21-1",
    "version": "camt.054.001.08",
    "account": "CH4431999123000889012",
    "imported_at": "2026-11-21T19:40:00+00:00",
    "imported_by": "user-id",
    "matched": [
        {
            "entry_id": "BANK-REF-1",
            "reference": "000000000000002026000000012",
            "amount": {"minor": 12842, "currency": "CHF"},
            "proforma_id": "0b6f4e0c-6f8e-4a43-9a53-6a8f5d1f2c10",
            "invoice_id": "9a3c1f51-1f4e-4a8b-9a55-0f3f3c3b8e21",
        }
    ],
    "unmatched": [
        {
            "entry_id": "BANK-REF-2",
            "reference": "RF18539007547034",
            "amount": {"minor": 5000, "currency": "EUR"},
            "proforma_id": None,
            "reason": "unknown_reference",
            "debtor": "Muster GmbH",
        }
    ],
    "duplicates": [],
    "ignored_debits": 0,
}


_LIST_EXAMPLE: dict[str, Any] = {
    "statements": [
        {
            "id": "5d0c0f67-2f0e-4a0e-8d3c-0c7d86c1b2a1",
            "message_id": "MSG-2026-11-21-1",
            "version": "camt.054.001.08",
            "account": "CH4431999123000889012",
            "imported_at": "2026-11-21T19:40:00+00:00",
            "imported_by": "user-id",
            "counts": {"matched": 1, "unmatched": 1, "duplicates": 0, "ignored_debits": 0},
        }
    ],
    "next_before": None,
}
_CANCELLED_PROFORMA = _PROFORMA_EXAMPLE | {"status": "cancelled", "purpose": "order"}
_CANCELLED_ORDER: dict[str, Any] = {
    "id": "7c1d2e3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f",
    "status": "cancelled",
    "created_at": "2026-11-21T19:20:00+00:00",
    "lines": [{"product_type": "hosting.web", "months": 12, "label": "shop", "free": False}],
    "invoice_id": None,
    "product_ids": [],
    "promo_code": None,
    "proforma_id": _PROFORMA_EXAMPLE["id"],
    "blocked": None,
}


def _json(example: Any, text: str) -> dict[str, Any]:
    return {"description": text, "content": {"application/json": {"example": example}}}


_CANCEL_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: _json({"proforma": _CANCELLED_PROFORMA, "order": _CANCELLED_ORDER}, "Cancelled"),
    409: {"description": "problem+json `not-awaiting-payment`: paid, lapsed or cancelled already"},
}


@router.get(
    "/v1/orgs/{org}/proformas",
    summary="The organization's pro-forma invoices (bank transfer), newest first",
    responses={200: _json([_PROFORMA_EXAMPLE], "Pro-forma invoices")},
)
async def list_proformas(actor: Actor, service: ProformasDep) -> list[dict[str, Any]]:
    return await service.list(actor.org_id)


@router.get(
    "/v1/orgs/{org}/proformas/{proforma_id}",
    summary="One pro-forma invoice: amount, account, reference, and its invoice once paid",
    responses={200: _json(_PROFORMA_EXAMPLE, "The pro-forma invoice")},
)
async def get_proforma(proforma_id: str, actor: Actor, service: ProformasDep) -> dict[str, Any]:
    return await service.get(actor.org_id, proforma_id)


@router.get(
    "/v1/orgs/{org}/proformas/{proforma_id}/pdf",
    summary="A short-lived download link to the pro-forma PDF (with the QR-bill for CHF)",
    responses={
        200: _json(
            {"number": "PF-2026-000001", "url": "https://s3.example/…", "expires_in": 300},
            "Presigned link",
        )
    },
)
async def proforma_pdf(proforma_id: str, actor: Actor, service: ProformasDep) -> dict[str, Any]:
    return await service.pdf_url(actor.org_id, proforma_id)


@router.post(
    "/v1/orgs/{org}/proformas/{proforma_id}/cancel",
    summary="Withdraw an unpaid pro-forma invoice (and the order awaiting it)",
    description="The pro-forma becomes `cancelled`; an order awaiting it is cancelled and its "
    "promo-code use and free grants are given back. A transfer arriving later is reported "
    "unmatched (`proforma_cancelled`) to support. 409 `not-awaiting-payment` once paid, lapsed "
    "or cancelled (BIL-4).",
    responses=_CANCEL_RESPONSES,
)
async def cancel_proforma(proforma_id: str, actor: Actor, closing: ClosingDep) -> dict[str, Any]:
    return await closing.cancel_proforma(actor.org_id, actor.user_id, proforma_id)


@router.post(
    "/v1/orgs/{org}/orders/{order_id}/cancel",
    tags=["orders"],
    summary="Cancel an order awaiting its bank transfer (BIL-4)",
    description="Only an order in `awaiting_payment`: it and its pro-forma are cancelled, the "
    "promo-code use and free grants its checkout took are given back. 409 "
    "`not-awaiting-payment` otherwise (paid, lapsed, never checked out by bank transfer).",
    responses=_CANCEL_RESPONSES,
)
async def cancel_order(order_id: str, actor: Actor, closing: ClosingDep) -> dict[str, Any]:
    return await closing.cancel_order(actor.org_id, actor.user_id, order_id)


@router.get(
    "/v1/bank-statements",
    summary="Imported bank statements, newest first, with their counts (staff)",
    description="Pages of `limit` (1-100, default 20); `before` = the previous page's "
    "`next_before`. 403 `not-staff` (BIL-4).",
    responses={200: _json(_LIST_EXAMPLE, "A page of imported statements")},
)
async def list_statements(
    claims: CurrentClaims,
    service: StatementsDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    before: Annotated[
        str | None, Query(max_length=100, description="`next_before` of a page")
    ] = None,
) -> dict[str, Any]:
    return await service.list_statements(claims.sub, limit=limit, before=before)


@router.post(
    "/v1/bank-statements",
    status_code=201,
    summary="Import a camt.054 bank notification (staff): credits pay their pro-formas",
    description="The body is the ISO 20022 camt.054 XML (001.02 to 001.08). Each booked "
    "credit whose structured reference names an open pro-forma for exactly its amount pays "
    "it. 201 with the report on the first import; the same statement again answers 200 with "
    "the first report and changes nothing. 403 `not-staff`; 422 on field `body` for XML "
    "that is not a readable camt.054 (DTDs are refused).",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/xml": {
                    "schema": {"type": "string"},
                    "example": _CAMT_EXAMPLE,
                }
            },
        }
    },
    responses={
        201: _json(_REPORT_EXAMPLE, "Imported: matched, unmatched (with reason), duplicates"),
        200: _json(_REPORT_EXAMPLE, "Imported before: the first import's report"),
    },
)
async def import_statement(
    request: Request, claims: CurrentClaims, service: StatementsDep
) -> JSONResponse:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > MAX_STATEMENT_BYTES:
        raise Problem(413, "Too large", "a statement is at most 5 MiB", code="too-large")
    body = await request.body()
    if len(body) > MAX_STATEMENT_BYTES:
        raise Problem(413, "Too large", "a statement is at most 5 MiB", code="too-large")
    status, report = await service.import_xml(claims.sub, body)
    return JSONResponse(report, status_code=status)


@router.get(
    "/v1/bank-statements/{statement_id}",
    summary="An imported statement's report, for support (staff)",
    responses={200: _json(_REPORT_EXAMPLE, "The import's report")},
)
async def get_statement(
    statement_id: str, claims: CurrentClaims, service: StatementsDep
) -> dict[str, Any]:
    return await service.get(claims.sub, statement_id)
