"""How many coding processes ingest uses: explicit counts stand; 0 scales with the work."""

from polybius.ingest import AUTO_JOBS_MIN_ARTICLES, resolve_jobs
from polybius.pipeline import default_jobs


def test_explicit_jobs_are_kept():
    assert resolve_jobs(3, 1) == 3
    assert resolve_jobs(1, 10_000) == 1


def test_auto_jobs_use_one_process_for_little_work_and_all_cores_for_much():
    assert resolve_jobs(0, AUTO_JOBS_MIN_ARTICLES - 1) == 1
    assert resolve_jobs(0, AUTO_JOBS_MIN_ARTICLES) == default_jobs()
