from konto.common.service import serve
from konto.notify.config import NotifySettings


def main() -> None:
    serve("konto.notify.app:app", NotifySettings(), "notify")


if __name__ == "__main__":
    main()
