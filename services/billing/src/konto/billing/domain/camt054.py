"""Reading an ISO 20022 camt.054 bank-to-customer debit/credit notification (BIL-4), versions
001.02 to 001.08: each transaction with its amount, direction, booking status and structured
creditor reference, so an incoming transfer can be matched to its pro-forma invoice.

Amounts are read as decimal strings into minor units, never through a float. The XML comes from
outside: defusedxml refuses DTDs, so no entity expansion and no external fetches."""

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Literal
from xml.etree.ElementTree import Element

from defusedxml import DefusedXmlException  # type: ignore[import-untyped]
from defusedxml.ElementTree import ParseError, fromstring  # type: ignore[import-untyped]

from konto.billing.domain.references import compact

_NAMESPACE = re.compile(r"^\{(urn:iso:std:iso:20022:tech:xsd:camt\.054\.001\.0[2-8])\}Document$")
_AMOUNT = re.compile(r"^\d{1,15}(\.\d{1,5})?$")


class StatementRejected(ValueError):
    """Not a camt.054 notification billing can read; nothing of it is booked."""


@dataclass(frozen=True)
class Transaction:
    entry_id: str  # the bank's own reference for this credit: the same in every statement
    direction: Literal["CRDT", "DBIT"]
    booked: bool
    minor: int | None  # None: an amount billing cannot take (more than two decimals)
    currency: str
    reference: str | None  # RmtInf/Strd/CdtrRefInf/Ref, spaces removed
    booked_on: str | None
    debtor: str | None


@dataclass(frozen=True)
class Statement:
    message_id: str
    version: str  # e.g. camt.054.001.08
    account: str | None  # the account notified about (IBAN)
    transactions: list[Transaction]


def parse_camt054(data: bytes) -> Statement:
    try:
        root = fromstring(data, forbid_dtd=True)
    except (ParseError, DefusedXmlException) as exc:
        raise StatementRejected(f"not well-formed XML without DTD: {exc}") from None
    match = _NAMESPACE.match(root.tag)
    if match is None:
        raise StatementRejected("expected a camt.054.001.02 to .08 Document")
    reader = _Reader(match.group(1))
    notification = reader.child(root, "BkToCstmrDbtCdtNtfctn")
    if notification is None:
        raise StatementRejected("no BkToCstmrDbtCdtNtfctn")
    message_id = reader.text(notification, "GrpHdr/MsgId")
    if not message_id:
        raise StatementRejected("no GrpHdr/MsgId")
    transactions: list[Transaction] = []
    account: str | None = None
    for ntfctn in reader.children(notification, "Ntfctn"):
        account = account or reader.text(ntfctn, "Acct/Id/IBAN")
        for index, entry in enumerate(reader.children(ntfctn, "Ntry")):
            transactions.extend(reader.entry(entry, f"{message_id}/{index}"))
    version = match.group(1).rsplit(":", 1)[1]
    return Statement(message_id, version, account, transactions)


def to_minor(amount: str) -> int | None:
    """`"123.45"` → 12345; None for anything but a non-negative amount with at most two
    decimals (a minor unit is the smallest amount billing books)."""
    amount = amount.strip()
    if not _AMOUNT.match(amount):
        return None
    try:
        minor = Decimal(amount) * 100
    except InvalidOperation:
        return None
    if minor != minor.to_integral_value():
        return None
    return int(minor)


class _Reader:
    def __init__(self, namespace: str) -> None:
        self.ns = {"c": namespace}

    def _path(self, path: str) -> str:
        return "/".join(f"c:{part}" for part in path.split("/"))

    def child(self, node: Element, path: str) -> Element | None:
        return node.find(self._path(path), self.ns)

    def children(self, node: Element, path: str) -> list[Element]:
        return node.findall(self._path(path), self.ns)

    def text(self, node: Element, path: str) -> str | None:
        found = self.child(node, path)
        if found is None or found.text is None:
            return None
        return found.text.strip() or None

    def entry(self, entry: Element, fallback_id: str) -> list[Transaction]:
        """One booking; a batch booking carries several transactions (TxDtls), each its own
        payment with its own reference."""
        status = self.text(entry, "Sts/Cd") or self.text(entry, "Sts")  # .04+ / .02-.03
        booked = status == "BOOK"
        entry_id = self.text(entry, "AcctSvcrRef") or self.text(entry, "NtryRef") or fallback_id
        booked_on = self.text(entry, "BookgDt/Dt") or self.text(entry, "BookgDt/DtTm")
        direction = self.text(entry, "CdtDbtInd")
        details = [
            tx for d in self.children(entry, "NtryDtls") for tx in self.children(d, "TxDtls")
        ]
        if not details:
            amount, currency = self._amount(entry, "Amt")
            return [
                Transaction(
                    entry_id=entry_id,
                    direction="CRDT" if direction == "CRDT" else "DBIT",
                    booked=booked,
                    minor=amount,
                    currency=currency,
                    reference=None,
                    booked_on=booked_on,
                    debtor=None,
                )
            ]
        transactions = []
        for index, tx in enumerate(details):
            if len(details) == 1 and self.child(tx, "Amt") is None:
                amount, currency = self._amount(entry, "Amt")
            else:
                amount, currency = self._amount(tx, "Amt")
                if not currency:  # .02/.03 keep the transaction's amount in AmtDtls
                    amount, currency = self._amount(tx, "AmtDtls/TxAmt/Amt")
            own_id = self.text(tx, "Refs/AcctSvcrRef")
            tx_direction = self.text(tx, "CdtDbtInd") or direction
            reference = self.text(tx, "RmtInf/Strd/CdtrRefInf/Ref")
            transactions.append(
                Transaction(
                    entry_id=own_id or (entry_id if len(details) == 1 else f"{entry_id}/{index}"),
                    direction="CRDT" if tx_direction == "CRDT" else "DBIT",
                    booked=booked,
                    minor=amount,
                    currency=currency,
                    reference=compact(reference).upper() if reference else None,
                    booked_on=booked_on,
                    debtor=self.text(tx, "RltdPties/Dbtr/Nm")
                    or self.text(tx, "RltdPties/Dbtr/Pty/Nm"),
                )
            )
        return transactions

    def _amount(self, node: Element, path: str) -> tuple[int | None, str]:
        found = self.child(node, path)
        if found is None or found.text is None:
            return None, ""
        return to_minor(found.text), found.get("Ccy", "")
