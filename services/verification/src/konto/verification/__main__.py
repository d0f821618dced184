from konto.common.service import serve
from konto.verification.config import VerificationSettings


def main() -> None:
    serve("konto.verification.app:app", VerificationSettings(), "verification")


if __name__ == "__main__":
    main()
