"""Billing addresses (BIL-2): the first is the default, exactly one stays the default, IBAN
and VAT id validated, the country decides VAT and currency."""

import uuid
from typing import Any

from konto.billing.domain.addresses import (
    InvalidField,
    check_country,
    currency_for,
    normalise_iban,
    normalise_vat_id,
)
from konto.billing.domain.vat import rate_for
from konto.billing.service.common import Stores, field_problem, transact
from konto.common.errors import Problem
from konto.common.events import utcnow
from konto.common.outbox import Outbox, UnitOfWork

TEXT_FIELDS = ("name", "street", "postcode", "city")


def address_json(doc: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": doc["_id"],
        **{f: doc[f] for f in TEXT_FIELDS},
        "country": doc["country"],
        "iban": doc.get("iban"),
        "vat_id": doc.get("vat_id"),
        "default": doc["default"],
        "currency": currency_for(doc["country"]),
        "vat_rate_bp": rate_for(doc["country"]),
    }


def _validated(fields: dict[str, Any]) -> dict[str, Any]:
    """Normalises what is given; raises a 422 naming the first bad field."""
    out = dict(fields)
    try:
        out["country"] = check_country(fields["country"])
        if fields.get("iban"):
            out["iban"] = normalise_iban(fields["iban"])
        if fields.get("vat_id"):
            out["vat_id"] = normalise_vat_id(fields["vat_id"], out["country"])
    except InvalidField as exc:
        raise field_problem(exc.field, str(exc)) from None
    return out


def _not_found() -> Problem:
    return Problem(404, "Not found", "no such billing address", code="address-not-found")


class AddressesService:
    def __init__(self, stores: Stores, outbox: Outbox) -> None:
        self.addresses = stores.addresses
        self.outbox = outbox

    async def list(self, org_id: str) -> list[dict[str, Any]]:
        return [address_json(d) for d in await self.addresses.of_org(org_id)]

    async def add(self, org_id: str, fields: dict[str, Any]) -> dict[str, Any]:
        doc = _validated(fields)
        wanted_default = bool(doc.pop("default", False))

        async def work(uow: UnitOfWork) -> dict[str, Any]:
            await self.addresses.lock_org(org_id, uow.session)
            first = await self.addresses.default(org_id, uow.session) is None
            make_default = first or wanted_default
            if make_default:
                await self.addresses.clear_default(org_id, uow.session)
            stored = {
                "_id": str(uuid.uuid4()),
                "org_id": org_id,
                **doc,
                "default": make_default,
                "created_at": utcnow(),
            }
            await self.addresses.insert(stored, uow.session)
            return stored

        return address_json(await transact(self.outbox, work))

    async def change(self, org_id: str, address_id: str, changes: dict[str, Any]) -> dict[str, Any]:
        async def work(uow: UnitOfWork) -> dict[str, Any]:
            await self.addresses.lock_org(org_id, uow.session)
            current = await self.addresses.get(org_id, address_id, uow.session)
            if current is None:
                raise _not_found()
            make_default = changes.get("default")
            if make_default is False and current["default"]:
                raise field_problem(
                    "default", "make another address the default instead", status=409
                )
            merged = _validated({**current, **{k: v for k, v in changes.items()}})
            fields = {k: merged[k] for k in (*TEXT_FIELDS, "country", "iban", "vat_id")}
            if make_default:
                await self.addresses.clear_default(org_id, uow.session)
                fields["default"] = True
            await self.addresses.update(org_id, address_id, fields, uow.session)
            return {**current, **fields}

        return address_json(await transact(self.outbox, work))

    async def delete(self, org_id: str, address_id: str) -> None:
        async def work(uow: UnitOfWork) -> None:
            await self.addresses.lock_org(org_id, uow.session)
            current = await self.addresses.get(org_id, address_id, uow.session)
            if current is None:
                raise _not_found()
            others = [
                a
                for a in await self.addresses.of_org(org_id, uow.session)
                if a["_id"] != address_id
            ]
            if current["default"] and others:
                raise Problem(
                    409,
                    "Conflict",
                    "make another address the default before deleting this one",
                    code="default-address",
                )
            await self.addresses.delete(org_id, address_id, uow.session)

        await transact(self.outbox, work)
