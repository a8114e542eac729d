"""Ctrl-C at moments that cannot take it: remembered, then delivered when it is safe.

Two such moments, both seen in tests of the real command:
- start-up: a KeyboardInterrupt raised while a C extension initialises can crash the
  interpreter (orjson's import segfaulted), and one raised elsewhere in the imports prints a
  long traceback instead of "interrupted";
- the start of the event loop: asyncio.run installs a SIGINT handler of its own when it finds
  Python's default, and a signal landing while it does so is lost count of, so the run died
  of a bare CancelledError (exit 1).

`hold()` puts a handler in place that only remembers the press; `release()` gives Python's
default back and raises the remembered KeyboardInterrupt there. Only the main thread gets
signals, and only Python's default handler is replaced: a caller with its own (the
scheduler) keeps it.
"""

from __future__ import annotations

import signal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from types import FrameType

_pressed = False


def _remember(signum: int, frame: FrameType | None) -> None:
    global _pressed
    _pressed = True


def hold() -> bool:
    """Remember Ctrl-C instead of raising it; False (and nothing done) if we may not."""
    global _pressed
    if signal.getsignal(signal.SIGINT) is not signal.default_int_handler:
        return False
    _pressed = False
    try:
        signal.signal(signal.SIGINT, _remember)
    except ValueError:  # not the main thread (no `import threading` here: it costs a start-up window)
        return False
    return True


def take() -> bool:
    """Whether Ctrl-C was pressed since hold(); forgets it (the caller now deals with it)."""
    global _pressed
    pressed, _pressed = _pressed, False
    return pressed


def release() -> None:
    """Python's default handler back; a Ctrl-C remembered meanwhile is raised here."""
    if signal.getsignal(signal.SIGINT) is _remember:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    if take():
        raise KeyboardInterrupt
