"""Run the emulator server: ``python -m ptc_provider.emulator --help``."""

import sys

from ptc_provider.emulator.server import main

if __name__ == "__main__":
    sys.exit(main())
