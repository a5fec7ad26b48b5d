"""Run examples/basic, so that `pulumi up` at the repository root deploys it."""

import runpy
from pathlib import Path

runpy.run_path(
    str(Path(__file__).parent / "examples" / "basic" / "__main__.py"),
    run_name="__main__",
)
