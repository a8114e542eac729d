"""`batchrunner` and `python -m batchrunner`: the imports happen with Ctrl-C held (interrupts.py)."""

from __future__ import annotations

from . import interrupts


def main() -> None:
    interrupts.hold()  # released, and a Ctrl-C meanwhile delivered, as a command starts (cli._handle_errors)
    from .cli import entry

    entry()


if __name__ == "__main__":
    main()
