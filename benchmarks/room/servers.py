"""The real parts the room runs on: PostgreSQL, app replicas (``streamlit run app.py``) and nginx.

Everything listens on 127.0.0.1 only and is stopped by its process id. PostgreSQL is the server named
by ``DATABASE_URL`` (a throw-away database is created on it and dropped afterwards), or, without one,
a throw-away server started from the local binaries as ``.ci/run`` starts one.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from assessment.workshop.settings import normalise_url
from benchmarks.bench_workshop import scratch_postgres
from tests.browser.conftest import free_port, stop
from tests.workshop.conftest import LocalPostgres, _pg_bin

ROOT = Path(__file__).resolve().parents[2]
NGINX_TEMPLATE = Path(__file__).with_name("nginx.conf")
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def missing_parts() -> list[str]:
    """What this machine lacks for the replica set-up (empty when it can run)."""
    missing = [] if Path(NGINX).exists() else ["nginx (apt-get install nginx)"]
    if not normalise_url(os.environ.get("DATABASE_URL", "")).startswith("postgresql") and _pg_bin() is None:
        missing.append("PostgreSQL (DATABASE_URL, or the postgresql package for a throw-away server)")
    return missing


@contextmanager
def postgres_database() -> Iterator[str]:
    """A fresh PostgreSQL database URL: on ``DATABASE_URL``'s server, else on a throw-away local server."""
    given = normalise_url(os.environ.get("DATABASE_URL", ""))
    if given.startswith("postgresql"):
        with scratch_postgres(given) as url:
            yield url
        return
    bindir = _pg_bin()
    if bindir is None:
        raise RuntimeError("no PostgreSQL: set DATABASE_URL or install the postgresql package")
    server = LocalPostgres(bindir)
    try:
        server.start()
        with scratch_postgres(server.url) as url:
            yield url
    finally:
        server.stop()


class Replica:
    """One ``streamlit run app.py`` on 127.0.0.1:``port`` (the command the README gives), logging to a file;
    ``options``: more of Streamlit's command-line options (``--runner.postScriptGC``, ``false``)."""

    def __init__(self, database_url: str, data_dir: Path, port: int | None = None, options: tuple[str, ...] = ()):
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = data_dir / f"replica-{self.port}.log"
        command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(self.port),
                   "--server.address", "127.0.0.1", "--server.headless", "true", "--server.fileWatcherType", "none",
                   *options]
        env = {**os.environ, "DATABASE_URL": database_url, "ASSESSMENT_DATA_DIR": str(data_dir)}
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                            start_new_session=True)
        wait_for(f"{self.url}/_stcore/health", self.process, self.log)

    @property
    def pid(self) -> int:
        return self.process.pid

    def rss_mb(self) -> float:
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def cpu_seconds(self) -> float:
        """User + system CPU time of the server process (all its threads) so far."""
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS

    def kill(self) -> None:
        """SIGKILL, as a crashed machine: no shutdown, no goodbye to the browsers."""
        os.kill(self.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        stop(self.process)


class Nginx:
    """nginx in the foreground with :data:`NGINX_TEMPLATE`, proxying 127.0.0.1:``port`` to ``replicas``."""

    def __init__(self, replicas: list[Replica], directory: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.prefix = directory / "nginx"
        self.prefix.mkdir(parents=True, exist_ok=True)
        self.config = self.prefix / "nginx.conf"
        self.config.write_text(nginx_config(self.prefix, self.port, [r.port for r in replicas]), encoding="utf-8")
        self.log = self.prefix / "stdout.log"
        with self.log.open("wb") as log:
            self.process = subprocess.Popen([NGINX, "-p", str(self.prefix), "-c", str(self.config),
                                             "-g", "daemon off;"], stdout=log, stderr=subprocess.STDOUT,
                                            start_new_session=True)
        wait_for(f"{self.url}/_stcore/health", self.process, self.log)

    def stop(self) -> None:
        stop(self.process)


def nginx_config(prefix: Path, port: int, replica_ports: list[int]) -> str:
    """:data:`NGINX_TEMPLATE` filled in: nginx's own files under ``prefix``, listening on 127.0.0.1:``port``."""
    servers = "\n        ".join(f"server 127.0.0.1:{p} max_fails=1 fail_timeout=10s;" for p in replica_ports)
    return (NGINX_TEMPLATE.read_text(encoding="utf-8").replace("@PREFIX@", str(prefix))
            .replace("@LISTEN@", f"127.0.0.1:{port}").replace("@SERVERS@", servers))


def wait_for(url: str, process: subprocess.Popen, log: Path, timeout: float = 60.0) -> None:
    """Until ``url`` answers 200; the process's log in the error when it dies or never answers."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited ({process.returncode}): {_tail(log)}")
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    stop(process)
    raise RuntimeError(f"{url} did not answer within {timeout:.0f} s: {_tail(log)}")


def _tail(log: Path) -> str:
    logs = [log, log.with_name("error.log")]
    return " | ".join(p.read_text(errors="replace")[-2000:] for p in logs if p.exists()) or "(no log)"


@contextmanager
def scratch_directory() -> Iterator[Path]:
    directory = Path(tempfile.mkdtemp(prefix="room-"))
    try:
        yield directory
    finally:
        shutil.rmtree(directory, ignore_errors=True)
