"""``iku-bot`` / ``python -m bot``: the bot, or an operator command."""

from __future__ import annotations

import sys

from bot.cli.commands import main as _main

__all__ = ["main"]


def main() -> None:
    """Run the command line and exit with its status."""
    sys.exit(_main())


if __name__ == "__main__":
    main()
