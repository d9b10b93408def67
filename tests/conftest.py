"""Fixtures shared by the whole suite: real PostgreSQL, real Redis, a real Celery worker, Chromium."""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from hypothesis import settings as hypothesis_settings

from tests.html_checker import nu_errors, require_checker
from tests.system import require_debian_tool

# Playwright's sync API runs an event loop in the test thread; the ORM calls made by the same
# tests are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Property tests check what the code does, not how fast: Hypothesis's default 200 ms deadline per
# example turns a busy machine into failures (figures belong in bench/, never in tests).
hypothesis_settings.register_profile("convergence", deadline=None)
hypothesis_settings.load_profile("convergence")

BASE_DIR = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _run_id(config) -> str:
    worker = getattr(config, "workerinput", {}).get("workerid", "main")
    return f"{worker}-{os.getpid()}"


def pytest_configure(config):
    """Give this test process its own Celery queue and cache prefix, so parallel runs never mix."""
    from django.conf import settings

    from convergence.celery import app

    run_id = _run_id(config)
    queue = f"test-{run_id}"
    settings.CELERY_TASK_DEFAULT_QUEUE = queue
    app.conf.task_default_queue = queue
    settings.CACHES["default"]["KEY_PREFIX"] = f"test-{run_id}"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    private_root = Path(tempfile.mkdtemp(prefix=f"convergence-{run_id}-"))
    settings.PRIVATE_MEDIA_ROOT = private_root
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "OPTIONS": {"location": private_root, "base_url": None}},
    }


@pytest.fixture(autouse=True)
def _cache_of_this_test_only():
    """Counters kept in the Redis cache (throttles, rate limits, sessions) start empty for each test:
    what one test posted must not throttle the next one of the same process. Only this process's
    keys (its own prefix) are removed; the other test processes share the Redis database."""
    yield
    import redis
    from django.conf import settings

    prefix = settings.CACHES["default"]["KEY_PREFIX"]
    client = redis.Redis.from_url(settings.REDIS_URL)
    try:
        keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
        if keys:
            client.delete(*keys)
    finally:
        client.close()


@pytest.fixture(autouse=True)
def _local_memo_of_this_test_only():
    """The per-process memo (the "local" cache) starts empty for each test: what one test's pages
    memoised must not show in the next one's."""
    yield
    from django.core.cache import caches

    caches["local"].clear()


# --- Real Celery worker ----------------------------------------------------------------------------
def _database_url(settings_dict) -> str:
    user = quote(settings_dict["USER"] or "postgres", safe="")
    password = f":{quote(settings_dict['PASSWORD'], safe='')}" if settings_dict["PASSWORD"] else ""
    host = quote(settings_dict["HOST"] or "127.0.0.1", safe="")
    port = f":{settings_dict['PORT']}" if settings_dict["PORT"] else ""
    return f"postgres://{user}{password}@{host}{port}/{settings_dict['NAME']}"


class CeleryWorker:
    """A ``celery worker`` subprocess on the real broker, reading the test database."""

    def __init__(self, environment: dict[str, str], log_path: Path):
        self.environment = environment
        self.log_path = log_path
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        from convergence.celery import app

        command = [sys.executable, "-m", "celery", "-A", "convergence", "worker", "--loglevel", "INFO"]
        command += ["--concurrency", "1", "--pool", "prefork", "--without-gossip", "--without-mingle"]
        command += ["--without-heartbeat", "--queues", self.environment["CELERY_TASK_DEFAULT_QUEUE"]]
        command += ["--hostname", self.hostname]
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            command, cwd=BASE_DIR, env=self.environment, stdout=log, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"Le worker Celery s'est arrêté, voir {self.log_path}")
            replies = app.control.ping(timeout=0.5, destination=[self.hostname])
            if replies:
                return
        raise RuntimeError(f"Le worker Celery ne répond pas, voir {self.log_path}")

    @property
    def hostname(self) -> str:
        return f"celery@{self.environment['CELERY_WORKER_NAME']}"

    def kill(self) -> None:
        """SIGKILL the whole worker (main process and pool children), as a crash would."""
        if self.process and self.process.poll() is None:
            subprocess.run(["pkill", "-KILL", "-P", str(self.process.pid)], check=False)
            self.process.kill()
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()

    def restart(self) -> None:
        self.stop()
        self.start()

    def wait_idle(self, timeout: float = 60) -> None:
        """Return once the worker runs, holds and awaits no task (twice in a row): the flush that ends
        a transactional test must not meet a task still writing (both take table locks: PostgreSQL
        ends one of them as a deadlock). A worker still busy after ``timeout`` seconds is stopped;
        the next test starts another."""
        idle_in_a_row = 0
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is None or self.process.poll() is not None:
                return
            idle_in_a_row = idle_in_a_row + 1 if self._idle() else 0
            if idle_in_a_row == 2:
                return
            time.sleep(0.2)
        self.kill()

    def _idle(self) -> bool:
        from convergence.celery import app

        inspect = app.control.inspect(destination=[self.hostname], timeout=1)
        for tasks in (inspect.active(), inspect.reserved(), inspect.scheduled()):
            if tasks is None or tasks.get(self.hostname):  # no answer, or tasks
                return False
        queue = self.environment["CELERY_TASK_DEFAULT_QUEUE"]
        with app.connection_for_read() as connection:
            try:
                waiting = connection.default_channel.queue_declare(queue=queue, passive=True).message_count
            except connection.channel_errors:  # never declared: nothing in it
                waiting = 0
        return waiting == 0


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup, django_db_blocker, tmp_path_factory, request):
    """One real worker per test process, started on first use; see ``celery_worker``."""
    from django.conf import settings
    from django.db import connection

    run_id = _run_id(request.config)
    environment = dict(os.environ)
    environment.update(
        DATABASE_URL=_database_url(connection.settings_dict),
        CELERY_TASK_DEFAULT_QUEUE=settings.CELERY_TASK_DEFAULT_QUEUE,
        CELERY_WORKER_NAME=f"test-{run_id}",
        DJANGO_CACHE_PREFIX=settings.CACHES["default"]["KEY_PREFIX"],
        PRIVATE_MEDIA_ROOT=str(settings.PRIVATE_MEDIA_ROOT),
    )
    worker = CeleryWorker(environment, tmp_path_factory.mktemp("celery") / "worker.log")
    worker.start()
    yield worker
    worker.stop()


@pytest.fixture
def celery_worker(transactional_db, celery_worker_process):
    """A real Celery worker consuming this test's queue; the test's writes are committed."""
    if celery_worker_process.process.poll() is not None:
        celery_worker_process.start()
    yield celery_worker_process
    celery_worker_process.wait_idle()  # before transactional_db's flush


# --- Browser ---------------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def chromium():
    require_debian_tool(CHROMIUM, package="chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, live_server):
    """A new browser page on the live server. Every HTML document the server sends it is checked by
    the W3C Nu Html Checker once the test is over: the test fails on any error (tests/html_checker.py)."""
    from playwright.sync_api import Error as PlaywrightError

    require_checker()
    context = chromium.new_context(base_url=live_server.url, locale="fr-FR")
    context.set_default_timeout(10_000)
    page = context.new_page()
    responses = []
    page.on("response", lambda response: _keep_document(response, responses))
    yield page
    documents = []
    for response in responses:
        try:
            documents.append((response.url, response.text()))
        except PlaywrightError:  # no body (a redirect), or already dropped by the browser
            continue
    context.close()
    if errors := nu_errors(documents):
        pytest.fail("Nu Html Checker :\n" + "\n".join(errors), pytrace=False)


def _keep_document(response, responses: list) -> None:
    if response.request.resource_type == "document" and "text/html" in response.headers.get(
        "content-type", ""
    ):
        responses.append(response)


@pytest.fixture
def axe_check():
    """Run axe on a page; fail on any serious or critical violation, listing them."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def check(page):
        results = axe.run(page)
        violations = [
            f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
            for v in results.response["violations"]
            if v["impact"] in {"serious", "critical"}
        ]
        assert not violations, "\n".join(violations)
        return results

    return check


# --- Logged-in people (accounts, companies) --------------------------------------------------------
@pytest.fixture
def reviewer_client(db):
    """A test client logged in as an agency reviewer who passed the second factor (TOTP) and
    accepted the current terms; the reviewer is ``reviewer_client.user``."""
    from tests.accounts.helpers import reviewer_client as make_client

    return make_client()


@pytest.fixture
def vendor_client_factory(db):
    """``vendor_client_factory(role="salarie", company=None, user=None)`` → a new test client logged
    in as a member of ``company`` (a new one by default) with that role, terms accepted; the client
    carries ``.user``, ``.membership`` and ``.company``."""
    from django.test import Client

    from tests.accounts.helpers import accept_current_terms, verified_login
    from tests.companies.factories import MembershipFactory

    def make(role="salarie", company=None, user=None):
        extra = {"company": company} if company is not None else {}
        membership = MembershipFactory(role=role, **extra, **({"user": user} if user else {}))
        accept_current_terms(membership.user)
        client = verified_login(Client(), membership.user)
        client.user, client.membership, client.company = membership.user, membership, membership.company
        return client

    return make


@pytest.fixture
def browser_login(page, live_server):
    """``browser_login(user, device=None)``: log the Playwright ``page`` in as ``user`` (terms
    accepted; second factor passed when ``device`` is given) by handing it a session cookie."""
    from django.test import Client

    from tests.accounts.helpers import accept_current_terms, session_cookie, verified_login

    def login(user, device=None):
        accept_current_terms(user)
        client = verified_login(Client(), user, device)
        page.context.add_cookies([{**session_cookie(client), "url": live_server.url}])
        return page

    return login


@pytest.fixture(autouse=True)
def _terms_of_use_published(request):
    """Every database test sees the terms-of-use gate: version 1 comes from a data migration, which
    the flush after a transactional test erases, so it is published again here (one query)."""
    names = set(request.fixturenames)
    if "transactional_db" in names:
        request.getfixturevalue("transactional_db")
    elif "db" in names or request.node.get_closest_marker("django_db"):
        request.getfixturevalue("db")
    else:
        return
    from accounts.models import TermsVersion

    TermsVersion.objects.get_or_create(version=1, defaults={"text": "Conditions générales d'utilisation."})


# --- S3-compatible object storage (moto's server mode: a real S3 API over HTTP) ---------------------
@pytest.fixture(scope="session")
def s3_server():
    """A moto S3 server on a free local port, for the whole session: its endpoint URL."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3_storage(s3_server, settings, monkeypatch):
    """The default storage switched to a fresh bucket of the S3 server, as the environment would set it."""
    import uuid

    import boto3
    import environ

    from core.storage import default_storage_setting

    bucket = f"convergence-{uuid.uuid4().hex[:12]}"
    environment = {
        "AWS_STORAGE_BUCKET_NAME": bucket,
        "AWS_S3_ENDPOINT_URL": s3_server,
        "AWS_S3_REGION_NAME": "eu-west-3",
        "AWS_ACCESS_KEY_ID": "test",
        "AWS_SECRET_ACCESS_KEY": "test",
    }
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    client = boto3.client(
        "s3",
        endpoint_url=s3_server,
        region_name="eu-west-3",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )
    client.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "eu-west-3"})
    settings.STORAGES = {
        **settings.STORAGES,
        "default": default_storage_setting(environ.Env(), private_root=settings.PRIVATE_MEDIA_ROOT),
    }
    return {"client": client, "bucket": bucket}
