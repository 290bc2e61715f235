"""Say "serving on ..." once the web server answers, not when it is started.

    python -m thedeal.operations.serving URL PID MESSAGE

`make run` starts the development server in the background and runs this: it asks URL (the
server's /healthz) once a second and prints MESSAGE when it answers 200. If process PID (the
server) has ended first, say because the port is taken, it prints nothing and exits 1: the
server has already said why. Plain Python, no Django, so it costs nothing to start.
"""

from __future__ import annotations

import os
import sys
import time
import urllib.error
import urllib.request


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (our own server)
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, but another user's
        return True
    return True


def wait(url: str, pid: int, *, every: float = 1.0) -> bool:
    """True once `url` answers; False as soon as process `pid` is gone."""
    while running(pid):
        if answers(url):
            return True
        time.sleep(every)
    return False


def main(argv: list[str]) -> int:
    if len(argv) != 3 or not argv[1].isdigit():
        print("usage: python -m thedeal.operations.serving URL PID MESSAGE", file=sys.stderr)
        return 2
    url, pid, message = argv[0], int(argv[1]), argv[2]
    if not wait(url, pid):
        return 1
    print(message, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
