from konto.billing.config import BillingSettings
from konto.common.service import serve


def main() -> None:
    serve("konto.billing.app:app", BillingSettings(), "billing")


if __name__ == "__main__":
    main()
