"""gunicorn's settings for the web server: read by gunicorn itself from the directory it starts in
(the image's ``/app``, the checkout for ``bench/``); the command line sets the bind address and workers.

Once a worker has loaded the application, everything loaded so far (Django, the apps, their
modules: over 100,000 objects) lives as long as the worker does. ``gc.freeze()`` moves it out of
the cyclic garbage collector's reach: a full collection then scans only what requests created since,
instead of stopping the worker for the whole heap (``bench/gc_pause.py``, section pages in sequence:
slowest page 37-41 ms instead of 188-206 ms; medians unchanged).
"""

import gc


def post_worker_init(worker) -> None:
    gc.freeze()
