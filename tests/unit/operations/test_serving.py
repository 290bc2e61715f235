"""`make run` says it is serving only when the server answers."""

import http.server
import re
import subprocess
import sys
import threading
from pathlib import Path

from thedeal.operations import serving

ROOT = Path(__file__).resolve().parents[3]


class Healthy(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (the standard library's name)
        self.send_response(200 if self.path == "/healthz" else 404)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_the_message_comes_once_the_server_answers():
    server = http.server.HTTPServer(("127.0.0.1", 0), Healthy)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/healthz"
        done = subprocess.run(
            [sys.executable, "-m", "thedeal.operations.serving", url, "1", "serving on it"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        server.shutdown()
        server.server_close()
    assert (done.returncode, done.stdout) == (0, "serving on it\n")


def test_a_server_that_stopped_before_answering_gets_no_message():
    # A port nothing listens on, and a server process that has already ended.
    with http.server.HTTPServer(("127.0.0.1", 0), Healthy) as closed:
        port = closed.server_port
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    assert serving.wait(f"http://127.0.0.1:{port}/healthz", gone.pid, every=0.01) is False


def test_make_run_says_serving_only_after_the_server_answers():
    makefile = (ROOT / "Makefile").read_text()
    recipe = re.search(r"^run:.*?\n((?:\t.*\n)+)", makefile, re.MULTILINE).group(1)
    # The message is the waiter's to print, and the waiter starts after the server.
    assert "/healthz" in recipe
    assert (
        recipe.index("runserver")
        < recipe.index("thedeal.operations.serving")
        < recipe.index("serving on")
    )
