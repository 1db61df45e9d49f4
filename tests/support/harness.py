"""Serving a built site on 127.0.0.1 and starting Debian's Chromium.

Shared by the tests (tests/conftest.py) and the benchmark (benchmarks/bench_browser.py), so both
drive the same server and the same browser flags.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
# Without the background-networking flags Chromium keeps calling Google's hosts, which this
# machine's closed network refuses; --no-sandbox because CI runs as root.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Static files without per-request logging."""

    def log_message(self, *args) -> None:
        pass


class QuietServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        # The browser closing a connection mid-transfer is normal here, not worth a traceback.
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)


@contextlib.contextmanager
def serve(site: Path) -> Iterator[str]:
    """`site` served on 127.0.0.1 (a random free port) while the block runs; yields its URL ending in '/'."""
    if not (Path(site) / "index.html").is_file():
        raise FileNotFoundError(f"{site} has no index.html: build the site first")
    server = QuietServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, proc: subprocess.Popen, what: str, log: Path, timeout: float = 30) -> None:
    """Until `proc` listens on 127.0.0.1:`port`; RuntimeError with its log if it exits or takes too long."""
    deadline = time.monotonic() + timeout
    while True:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        if proc.poll() is not None or time.monotonic() > deadline:
            text = log.read_text(errors="replace") if log.is_file() else ""
            raise RuntimeError(f"{what} did not listen on {port}: {text}")
        time.sleep(0.05)


NGINX = "/usr/sbin/nginx"
BROTLI_MODULE = Path("/usr/lib/nginx/modules/ngx_http_brotli_static_module.so")
DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
PLACEHOLDER = "/srv/jiangxin"


def nginx_config(project: Path, work: Path, port: int) -> Path:
    """A stand-alone nginx.conf on 127.0.0.1:`port` serving `project`'s published site with the
    recipe of deploy/ (its /srv/jiangxin paths pointed at `project`); returns its path."""
    work.mkdir(parents=True, exist_ok=True)
    for name in ("jiangxin-site.conf", "security-headers.conf", "brotli.conf"):
        text = (DEPLOY / name).read_text(encoding="utf-8")
        (work / name).write_text(text.replace(f"{PLACEHOLDER}/deploy/", f"{work}/").replace(PLACEHOLDER, str(project)))
    temp = "\n".join(
        f"  {kind}_temp_path {work}/{kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    lines = [
        f"load_module {BROTLI_MODULE};" if BROTLI_MODULE.is_file() else "",
        "user root;" if os.geteuid() == 0 else "",  # workers must read pytest's 0700 folders
        "worker_processes 1;",
        f"pid {work}/nginx.pid;",
        f"error_log {work}/error.log warn;",
        "events { worker_connections 256; }",
        "http {",
        "  include /etc/nginx/mime.types;",
        "  default_type application/octet-stream;",
        "  access_log off;",
        "  sendfile on;",
        temp,
        f"  include {project}/nginx-csp.conf;",
        "  server {",
        f"    listen 127.0.0.1:{port};",
        "    server_name localhost;",
        f"    include {work}/jiangxin-site.conf;",
        f"    include {work}/brotli.conf;" if BROTLI_MODULE.is_file() else "",
        "  }",
        "}",
    ]
    path = work / "nginx.conf"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@contextlib.contextmanager
def nginx(project: Path, work: Path) -> Iterator[str]:
    """Debian's real nginx serving `project`'s published `site` (deploy/ recipe) while the block runs; yields its URL."""
    port = free_port()
    conf = nginx_config(project, work, port)
    check = subprocess.run([NGINX, "-t", "-q", "-p", str(work), "-c", str(conf)], capture_output=True, text=True)
    if check.returncode != 0:
        raise RuntimeError(f"nginx -t: {check.stderr}")
    proc = subprocess.Popen([NGINX, "-p", str(work), "-c", str(conf), "-g", "daemon off;"], stderr=subprocess.DEVNULL)
    try:
        wait_for_port(port, proc, "nginx", work / "error.log", timeout=15)
        yield f"http://127.0.0.1:{port}/"
    finally:
        proc.terminate()
        proc.wait(timeout=10)
