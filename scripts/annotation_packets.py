"""Blind double annotation, shared by the samplers (news_typing_sample, news_modality_sample).

Items are split round-robin into packets; each packet is written twice, the second copy in
shuffled order, for two annotators who see only the guidelines and their packet. Their
answers come back as ``labels_<chunk>_<1|2>.jsonl`` (one ``{"item", "label", ...}`` per
line), with ``adjudicated.jsonl`` for the items a third annotator settled. The packets hold
news text, so they are written outside the project.
"""

from __future__ import annotations

import argparse
import json
import random
from collections.abc import Callable, Collection
from pathlib import Path


def write_packets(
    items: list[dict], out: Path, chunks: int, guidelines: str, render: Callable[[dict], str]
) -> None:
    """items.json, GUIDELINES.md and packet_<chunk>_<1|2>.md under ``out``; ``render``
    writes one item as the annotators see it."""
    out.mkdir(parents=True, exist_ok=True)
    (out / "items.json").write_text(json.dumps(items, indent=1, ensure_ascii=False), "utf-8")
    (out / "GUIDELINES.md").write_text(guidelines, "utf-8")
    for k in range(chunks):
        part = items[k::chunks]
        for copy in (1, 2):
            order = list(part)
            if copy == 2:
                random.Random(k).shuffle(order)
            text = "\n".join(render(it) for it in order)
            (out / f"packet_{k}_{copy}.md").write_text(text, "utf-8")


def read_labels(
    path: Path, normalise: Callable[[str], str], allowed: Collection[str] | None = None
) -> dict[str, str]:
    """item -> label of one annotator's file; SystemExit naming the file for a label that is
    not ``allowed`` (when given)."""
    rows = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    out = {r["item"]: normalise(str(r["label"])) for r in rows}
    if allowed is not None:
        bad = {k: v for k, v in out.items() if v not in allowed}
        if bad:
            raise SystemExit(f"{path}: labels not in {sorted(allowed)}: {bad}")
    return out


def final_labels(
    out: Path,
    chunks: int,
    items: list[dict],
    normalise: Callable[[str], str],
    allowed: Collection[str] | None = None,
) -> dict[str, tuple[str, str, str]]:
    """item -> (first annotator, second annotator, final label); SystemExit for a
    disagreement nobody settled."""
    first: dict[str, str] = {}
    second: dict[str, str] = {}
    for k in range(chunks):
        first |= read_labels(out / f"labels_{k}_1.jsonl", normalise, allowed)
        second |= read_labels(out / f"labels_{k}_2.jsonl", normalise, allowed)
    adj_path = out / "adjudicated.jsonl"
    adjudicated = read_labels(adj_path, normalise, allowed) if adj_path.is_file() else {}
    result = {}
    for it in items:
        a, b = first[it["item"]], second[it["item"]]
        if a != b and it["item"] not in adjudicated:
            raise SystemExit(f"{it['item']}: annotators disagree ({a} / {b}), not adjudicated")
        result[it["item"]] = (a, b, a if a == b else adjudicated[it["item"]])
    return result


def sampler_parser(
    doc: str, *, seed: int, chunks: int, exclude_help: str
) -> argparse.ArgumentParser:
    """The options every sampler has: ``--out``, ``--seed``, ``--chunks``, ``--merge`` and
    ``--exclude`` (gold files whose items a fresh sample leaves out)."""
    ap = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    ap.add_argument("--out", type=Path, required=True, help="folder for packets (not the repo)")
    ap.add_argument("--seed", type=int, default=seed)
    ap.add_argument("--chunks", type=int, default=chunks)
    ap.add_argument("--merge", action="store_true", help="print the gold file from the labels")
    ap.add_argument("--exclude", type=Path, nargs="*", default=[], help=exclude_help)
    return ap
