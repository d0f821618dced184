from konto.common.service import serve
from konto.orgs.config import OrgsSettings


def main() -> None:
    serve("konto.orgs.app:app", OrgsSettings(), "orgs")


if __name__ == "__main__":
    main()
