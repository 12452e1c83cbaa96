"""The console entry point (``miitfacts``, ``python -m miitfacts``): as small as it can be.

Ctrl-C is handled before the command's modules (Typer, Rich, pydantic) are
imported, so an interrupt at any point of start-up exits 130, quietly.
"""

import sys


def main() -> None:
    try:
        from miitfacts.cli import main as run_command
    except KeyboardInterrupt:
        sys.exit(130)  # ExitStatus.INTERRUPTED; its module may be what was interrupted
    run_command()


if __name__ == "__main__":
    main()
