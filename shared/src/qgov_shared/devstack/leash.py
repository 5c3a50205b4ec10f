"""Run a command that gets SIGTERM when the process that started it dies, even by SIGKILL.

    python -I -S leash.py PARENT_PID COMMAND [ARG...]

Linux keeps the parent-death signal across exec, so setting it here and then exec'ing COMMAND
ties COMMAND itself (same pid) to its parent. The kernel sends it when the *thread* that started
the child ends, so start children from a thread that outlives them. Standard library only, so it
starts fast under `-I -S`. Elsewhere than Linux it only runs COMMAND.
"""

import ctypes
import os
import signal
import sys

_PR_SET_PDEATHSIG = 1


def main(parent: int, command: list[str]) -> None:
    if sys.platform == "linux":
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG) failed")
    # The parent may have died before the tie was made; then no signal will ever come.
    if os.getppid() != parent:
        sys.exit(f"leash: parent {parent} exited before {command[0]} started")
    os.execvp(command[0], command)


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2:])
