"""Benchmark of a large proof upload through the real view, over HTTP on loopback (gunicorn).

Run: ``DATABASE_URL=postgres://…/conv_bench python bench/proofs.py [--size-mb 200] [--runs 3]``.
It builds (in that database) an answered assessment whose item expects a video (mp4/webm, up to
``--size-mb`` + 50 Mo), writes a ``--size-mb`` WebM file (a real WebM header, then random bytes: the
type is read from the content), starts gunicorn on 127.0.0.1 (one sync worker, production settings:
DEBUG off, files in a temporary folder) and posts the file to the proof upload view as a browser
would (multipart, session and CSRF cookies), streamed from the disk.

For each run it reports:
- the web worker's peak memory above its baseline: the baseline is its resident memory after a small
  upload through the same view (everything imported, caches warm); the peak is the kernel's
  high-water mark of the worker (``VmHWM``, reset just before the upload through
  ``/proc/<pid>/clear_refs``), checked against a 5 ms sampling of its resident memory when the reset
  is not allowed. Aim: under 64 Mo above the baseline;
- the throughput of the upload (Mo/s, from the first byte sent to the answer: receiving, hashing,
  the temporary file, the type check and the copy to the storage), beside a plain ``cp`` of the same
  file on the same disk, and their ratio.

The data it creates stays in the database: point it at a benchmark database, not a real one.
"""

import argparse
import http.client
import os
import random
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
WORK_DIR = Path(tempfile.mkdtemp(prefix="bench-preuves-"))
SERVER_ENV = {
    "DJANGO_SETTINGS_MODULE": "convergence.settings",
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY") or secrets.token_urlsafe(60),
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
    "DJANGO_SECURE_SSL_REDIRECT": "false",
    "DJANGO_SECURE_HSTS_SECONDS": "0",
    "EMAIL_URL": "smtp://127.0.0.1:25",  # production settings need a real backend; the bench sends none
    "PRIVATE_MEDIA_ROOT": str(WORK_DIR / "stockage"),
    "TMPDIR": str(WORK_DIR / "recus"),  # where the upload handler's temporary file goes
}
os.environ.update(SERVER_ENV)

import django  # noqa: E402

django.setup()

import psutil  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.files.storage import default_storage  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from companies.models import Role  # noqa: E402
from proofs.models import Proof  # noqa: E402
from questionnaires.models import ExpectedProof, Item  # noqa: E402
from tests.accounts.helpers import accept_current_terms  # noqa: E402
from tests.assessments.factories import QUALIFIED, AssessmentFactory, fill, questionnaire_version  # noqa: E402
from tests.companies.factories import CompanyFactory, MembershipFactory, siren_with_luhn  # noqa: E402
from tests.products.factories import ProductFactory, ProductVersionFactory  # noqa: E402

MB = 1024 * 1024
CHUNK = MB
VIDEO_HEADER = (BASE_DIR / "tests" / "fixtures" / "connexion-psc.webm").read_bytes()[:64]
ITEM = "A08.5.01"
AIM_MB = 64


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def make_unique(path: Path, run: int) -> None:
    """Change a few bytes after the header: each run stores a new file (files are kept by content
    hash, and a content already stored is not written again)."""
    with path.open("r+b") as handle:
        handle.seek(len(VIDEO_HEADER))
        handle.write(run.to_bytes(8, "big") + secrets.token_bytes(8))


def video_file(size: int) -> Path:
    """A ``size``-byte file that reads as WebM (its header), the rest random (nothing compresses it)."""
    path = WORK_DIR / f"video-{size // MB}-mo.webm"
    with path.open("wb") as handle:
        handle.write(VIDEO_HEADER)
        left = size - len(VIDEO_HEADER)
        while left > 0:
            handle.write(os.urandom(min(CHUNK, left)))
            left -= CHUNK
    return path


class Vendor:
    """A logged-in mandataire whose assessment's item ``ITEM`` expects a video of up to ``max_size``."""

    def __init__(self, max_size: int):
        # Random identifiers: the database keeps the data of earlier runs.
        siren = siren_with_luhn(f"{random.randrange(10**7, 10**8)}")
        membership = MembershipFactory(
            role=Role.MANDATAIRE,
            company=CompanyFactory(siren=siren),
            user__email=f"bench-{secrets.token_hex(6)}@exemple.test",
        )
        user = membership.user
        accept_current_terms(user)
        assessment = AssessmentFactory(
            product_version=ProductVersionFactory(product=ProductFactory(company=membership.company)),
            questionnaire_version=questionnaire_version(code=f"bench-{secrets.token_hex(4)}"),
            qualification=QUALIFIED,
        )
        fill(assessment, actor=user)
        item = Item.objects.get(version=assessment.questionnaire_version, code=ITEM)
        ExpectedProof.objects.create(
            item=item,
            code="video_longue",
            kind="file",
            label="Vidéo de démonstration",
            instruction="Filmez la démonstration complète.",
            formats=["mp4", "webm"],
            max_size=max_size,
            max_count=50,
            order=0,
        )
        self.url = reverse("portal:proofs:upload", args=[assessment.public_id, ITEM, "video_longue"])
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        self.session = client.cookies[settings.SESSION_COOKIE_NAME].value
        self.csrf = secrets.token_hex(16)

    def upload(self, port: int, path: Path) -> tuple[int, str, float]:
        """Post ``path`` as the browser form does, streamed from the disk: (status, Location, seconds)."""
        boundary = f"----bench{secrets.token_hex(8)}"
        fields = {"csrfmiddlewaretoken": self.csrf, "effective_date": "2025-03-14"}
        head = "".join(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
            for name, value in fields.items()
        )
        head += (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{path.name}"\r\n'
            "Content-Type: video/webm\r\n\r\n"
        )
        tail = f"\r\n--{boundary}--\r\n".encode()
        size = len(head.encode()) + path.stat().st_size + len(tail)

        def body():
            yield head.encode()
            with path.open("rb") as handle:
                while chunk := handle.read(CHUNK):
                    yield chunk
            yield tail

        cookie = f"{settings.SESSION_COOKIE_NAME}={self.session}; {settings.CSRF_COOKIE_NAME}={self.csrf}"
        headers = {
            "Cookie": cookie,
            "Host": "127.0.0.1",
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "Content-Length": str(size),
        }
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
        start = time.perf_counter()
        connection.request("POST", self.url, body=body(), headers=headers)
        response = connection.getresponse()
        response.read()
        elapsed = time.perf_counter() - start
        connection.close()
        return response.status, response.getheader("Location", ""), elapsed


def start_server(port: int) -> tuple[subprocess.Popen, psutil.Process]:
    """gunicorn with one sync worker; returns the server and its worker process."""
    command = [sys.executable, "-m", "gunicorn", "convergence.wsgi:application"]
    command += ["--bind", f"127.0.0.1:{port}", "--workers", "1", "--timeout", "600"]
    command += ["--log-level", "warning"]
    server = subprocess.Popen(command, cwd=BASE_DIR, env={**os.environ, **SERVER_ENV})
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                workers = psutil.Process(server.pid).children()
                if workers:
                    return server, workers[0]
        except OSError:
            pass
        time.sleep(0.2)
    server.kill()
    raise SystemExit("gunicorn ne démarre pas")


class Peak:
    """The worker's peak resident memory during a block: the kernel's high-water mark when it can be
    reset, and in any case a 5 ms sampling (the larger of the two is reported)."""

    def __init__(self, process: psutil.Process):
        self.process = process
        self.sampled = 0
        self.hwm_reset = False
        self._stop = threading.Event()

    def __enter__(self):
        try:
            Path(f"/proc/{self.process.pid}/clear_refs").write_text("5")
            self.hwm_reset = True
        except OSError:
            self.hwm_reset = False
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self):
        while not self._stop.is_set():
            self.sampled = max(self.sampled, self.process.memory_info().rss)
            time.sleep(0.005)

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.hwm = _vm_hwm(self.process.pid) if self.hwm_reset else 0
        self.value = max(self.sampled, self.hwm)


def _vm_hwm(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return 0


def copy_seconds(path: Path) -> float:
    target = WORK_DIR / "copie.webm"
    start = time.perf_counter()
    subprocess.run(["cp", str(path), str(target)], check=True)
    elapsed = time.perf_counter() - start
    target.unlink()
    return elapsed


def collect_static() -> None:
    """Production settings serve hashed static files from a manifest, built like a deployment does."""
    if not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
        call_command("collectstatic", interactive=False, verbosity=0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    (WORK_DIR / "recus").mkdir()
    collect_static()
    size = options.size_mb * MB
    vendor = Vendor(max_size=size + 50 * MB)
    small, video = video_file(MB), video_file(size)
    port = free_port()
    server, worker = start_server(port)
    try:
        before = Proof.objects.count()
        status, location, _ = vendor.upload(port, small)  # warms the worker: imports, caches, storage
        if status != 302 or Proof.objects.count() != before + 1:
            raise SystemExit(f"dépôt refusé : HTTP {status} {location}")
        baseline = worker.memory_info().rss
        print(
            f"gunicorn : 1 processus (sync) ; fichier de {options.size_mb} Mo ; "
            f"mémoire de base du processus web : {baseline / MB:.1f} Mo"
        )
        uploads, copies, peaks = [], [], []
        for run in range(1, options.runs + 1):
            make_unique(video, run)
            stored = Proof.objects.count()
            baseline = worker.memory_info().rss
            with Peak(worker) as peak:
                status, location, seconds = vendor.upload(port, video)
            if status != 302 or Proof.objects.count() != stored + 1:
                raise SystemExit(f"dépôt refusé : HTTP {status}")
            kept = Proof.objects.latest("pk")
            if kept.size != size or not default_storage.size(kept.file.name) == size:
                raise SystemExit(f"fichier enregistré incomplet : {kept.size} octets")
            copied = copy_seconds(video)
            above = (peak.value - baseline) / MB
            uploads.append(seconds)
            copies.append(copied)
            peaks.append(above)
            source = "VmHWM" if peak.hwm_reset else "échantillonnage"
            print(
                f"  essai {run} : dépôt {seconds:6.2f} s ({options.size_mb / seconds:6.1f} Mo/s) ; "
                f"cp {copied:5.2f} s ({options.size_mb / copied:6.1f} Mo/s) ; "
                f"pic mémoire +{above:5.1f} Mo au-dessus de la base ({source})"
            )
        upload, copy = statistics.median(uploads), statistics.median(copies)
        print(
            f"Médianes : dépôt {options.size_mb / upload:.1f} Mo/s, cp {options.size_mb / copy:.1f} Mo/s "
            f"(le dépôt va à {copy / upload:.0%} de la vitesse de cp) ; "
            f"pic mémoire au plus +{max(peaks):.1f} Mo (objectif < {AIM_MB} Mo)"
        )
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        shutil.rmtree(WORK_DIR, ignore_errors=True)


if __name__ == "__main__":
    main()
