from konto.auth.config import AuthSettings
from konto.common.service import serve


def main() -> None:
    serve("konto.auth.app:app", AuthSettings(), "auth")


if __name__ == "__main__":
    main()
