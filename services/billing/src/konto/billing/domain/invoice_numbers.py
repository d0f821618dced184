"""Invoice numbers: per calendar year, without gaps (BIL-5). The store draws the next sequence
number in the same transaction that writes the invoice, so an aborted invoice leaves no hole."""


def invoice_number(year: int, sequence: int) -> str:
    if sequence < 1:
        raise ValueError("sequences start at 1")
    return f"{year}-{sequence:06d}"


def parse_invoice_number(number: str) -> tuple[int, int]:
    year, sequence = number.split("-")
    return int(year), int(sequence)
