"""gunicorn's settings for serving Qingfu: ``.venv/bin/gunicorn qingfu.config.wsgi`` reads
this file from the project root. The numbers are the ones ``make bench`` measures
(``bench/server.py`` serves with them; figures in ``docs/benchmarks.md``)."""

import os

bind = os.environ.get("QINGFU_BIND", "127.0.0.1:8000")
# One process per core: each runs Python one thread at a time, so more processes use more
# cores. Several processes need REDIS_URL (the caches' versions are shared there).
workers = int(os.environ.get("QINGFU_WORKERS", str(os.cpu_count() or 1)))
# Threads overlap the waits on PostgreSQL and Redis. More than a few only add switching
# between threads: on the bench, 4 took the most time-log writes per second.
worker_class = "gthread"
threads = int(os.environ.get("QINGFU_THREADS", "4"))
backlog = 4096
