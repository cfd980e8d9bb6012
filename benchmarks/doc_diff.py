"""Token attributes that differ between two parses of the same texts (for the *_check
benchmarks, which show that a speed-up keeps spaCy's output)."""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

#: The token attributes a check of the whole pipeline compares.
PARSE_COLS = ("TAG", "POS", "MORPH", "LEMMA", "DEP", "HEAD", "ENT_IOB", "ENT_TYPE")


def check_args(doc: str, argv: list[str] | None) -> argparse.Namespace:
    """The options every *_check benchmark takes: ``--articles`` (600) and ``--runs`` (3);
    ``doc`` is the script's docstring (its first paragraph is the description)."""
    ap = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=600)
    ap.add_argument("--runs", type=int, default=3)
    return ap.parse_args(argv)


def attribute_diffs(
    docs_a: Iterable, docs_b: Iterable, cols: Sequence[str]
) -> tuple[int, dict[str, int]]:
    """(tokens compared, per attribute the number of tokens whose value differs)."""
    diffs = {c: 0 for c in cols}
    n_tok = 0
    for a, b in zip(docs_a, docs_b, strict=True):
        xa, xb = a.to_array(list(cols)), b.to_array(list(cols))
        n_tok += len(a)
        for k, c in enumerate(cols):
            diffs[c] += int((xa[:, k] != xb[:, k]).sum())
    return n_tok, diffs


def diff_line(diffs: dict[str, int]) -> str:
    """'TAG 0, POS 0, ...'."""
    return ", ".join(f"{c} {v}" for c, v in diffs.items())


def cpu_line(times: dict[str, list[float]], a: str, b: str, what: str) -> str:
    """'CPU s of WHAT, median of N: A x, B y, ratio (x/y)x' from per-run seconds."""
    med = {k: statistics.median(v) for k, v in times.items()}
    return (
        f"CPU s of {what}, median of {len(times[a])}: {a} {med[a]:.3f}, {b} {med[b]:.3f}, "
        f"ratio {med[a] / med[b]:.2f}x"
    )


def time_pipelines(
    pipes: Mapping[str, Any],
    texts: list[str],
    runs: int,
    before_run: Callable[[Any], object] | None = None,
) -> tuple[dict[str, list[float]], dict[str, list]]:
    """Parse ``texts`` with each pipeline ``runs`` times, alternating (after five texts of
    warm-up each): the CPU seconds of every run by pipeline, and each one's last Docs.
    ``before_run(nlp)`` is called before each timed run (outside the clock)."""
    for nlp in pipes.values():
        list(nlp.pipe(texts[:5]))
    times: dict[str, list[float]] = {k: [] for k in pipes}
    out: dict[str, list] = {}
    for _ in range(runs):
        for name, nlp in pipes.items():
            if before_run is not None:
                before_run(nlp)
            t0 = time.process_time()
            out[name] = list(nlp.pipe(texts, batch_size=64))
            times[name].append(time.process_time() - t0)
    return times, out


def compare_pipelines(
    pipes: Mapping[str, Any],
    texts: list[str],
    runs: int,
    what: str = "the whole pipeline",
    before_run: Callable[[Any], object] | None = None,
) -> dict[str, list]:
    """Parse ``texts`` with two pipelines (:func:`time_pipelines`), print the tokens whose
    :data:`PARSE_COLS` differ and the CPU line for ``what``; returns each one's last Docs."""
    times, out = time_pipelines(pipes, texts, runs, before_run=before_run)
    a_name, b_name = pipes
    n_tok, diffs = attribute_diffs(out[a_name], out[b_name], PARSE_COLS)
    print(f"tokens: {n_tok:,}; that differ: {diff_line(diffs)}")
    print(cpu_line(times, a_name, b_name, what))
    return out
