"""Ship libs/common's event modules in this distribution without keeping a copy in the repo.

From the repository, the wheel and the sdist take `../common/src/konto/common/events`; the
sdist stores them under `src/konto/common/events`, where a wheel built from it finds them.
"""

from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import (  # type: ignore[import-not-found]
    BuildHookInterface,
)

MODELS = Path(__file__).parent.parent / "common" / "src" / "konto" / "common" / "events"


class CustomBuildHook(BuildHookInterface):  # type: ignore[misc]
    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if not MODELS.is_dir():  # building from the sdist: the modules are in src/ already
            return
        target = "konto/common/events" if self.target_name == "wheel" else "src/konto/common/events"
        for module in sorted(MODELS.glob("*.py")):
            build_data["force_include"][str(module)] = f"{target}/{module.name}"
        # konto-common's PEP 561 marker, so type checkers read the models' annotations too
        build_data["force_include"][str(MODELS.parent / "py.typed")] = f"{target}/py.typed"
