"""The console entry point (``miitfacts``, ``python -m miitfacts``): as small as it can be.

Ctrl-C is handled before the command's modules (Typer, Rich, pydantic) are
imported, so an interrupt at any point of start-up exits 130, quietly.
"""

import sys


def interrupted(error: BaseException) -> bool:
    """Whether a Ctrl-C is the cause of ``error``: Python wraps one that lands in a
    class body (``RuntimeError: Error calling __set_name__``) or an import."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        if isinstance(current, KeyboardInterrupt):
            return True
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return False


def main() -> None:
    try:
        from miitfacts.cli import main as run_command
    except BaseException as error:
        if interrupted(error):
            sys.exit(130)  # ExitStatus.INTERRUPTED; its module may be what was interrupted
        raise
    run_command()


if __name__ == "__main__":
    main()
