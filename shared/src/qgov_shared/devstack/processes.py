"""The dev stack's child processes (services, the broker): started where a terminal's Ctrl-C
cannot reach them, and stopped by qgov alone, within a bound.

A terminal sends Ctrl-C to its whole foreground process group. Each child gets its own session,
so only qgov receives it and decides when, and in what order, the children stop. Each child is
also leashed to qgov (see `leash.py`), so a qgov killed hard leaves none of them behind.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import BinaryIO

_LEASH = Path(__file__).with_name("leash.py")


def start_child(
    command: list[str], log: BinaryIO, env: Mapping[str, str] | None = None
) -> subprocess.Popen:
    """Start `command` in its own session, its output into `log`; it dies with this process."""
    return subprocess.Popen(
        [sys.executable, "-I", "-S", str(_LEASH), str(os.getpid()), *command],
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        env=env,
        start_new_session=True,
    )


def stop_children(children: Iterable[subprocess.Popen], within: float) -> None:
    """SIGTERM every child still running, give them `within` seconds together, then SIGKILL."""
    running = [child for child in children if child.poll() is None]
    for child in running:
        child.terminate()
    deadline = time.monotonic() + within
    for child in running:
        try:
            child.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


def is_alive(pid: int) -> bool:
    """Whether `pid` is still running; a zombie awaiting its reaper has stopped."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return not Path("/proc/self").exists()  # gone just now, or no /proc to ask
    # The state follows the parenthesised command name, which may itself hold spaces.
    return stat.rsplit(")", 1)[1].split()[0] != "Z"
