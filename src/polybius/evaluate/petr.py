"""PETRARCH-2 validation: precision, recall and F1 of (source, target, CAMEO root) triples.

The validation file is XML-like but not well formed (``#`` comment lines, ``<Sentence .../>``
opening tags that are later closed), so records are read with a tolerant scan: each
``<Sentence ...>`` up to ``</Sentence>`` gives an id, a date (YYYYMMDD), its
``<EventCoding .../>`` lines and the ``<Text>``. A record with ``noevents="True"`` has no gold
triple; events coded there count as false positives.

Gold actor codes are CAMEO codes: the first three letters are the country (``USAGOV`` -> USA;
``IGO...`` organisations -> IGO; ``---`` unknown), the next three the agent, mapped to a PLOVER
sector where the names differ. Two scores: by country (source country, target country, root)
and with sectors (country+sector on each side). Each sentence is coded by the full pipeline
(``find_actors`` + ``extract_events``) with the record's date as publication date.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from spacy.language import Language

from polybius.evaluate.metrics import prf
from polybius.records import Actor, Article, Event

__all__ = ["PetrRecord", "read_petr", "evaluate_petr", "event_triples", "split_code"]

#: CAMEO agent codes whose PLOVER sector has another name.
CAMEO_AGENT_TO_SECTOR = {
    "SPY": "GOV", "LEG": "LEG", "JUD": "JUD", "COP": "COP", "MIL": "MIL", "GOV": "GOV",
    "OPP": "OPP", "REB": "REB", "INS": "REB", "SEP": "REB", "BUS": "BUS", "MED": "MED",
    "EDU": "EDU", "CVL": "CVL", "HLH": "HLH", "REF": "REF", "LAB": "LAB", "ELI": "ELI",
    "PTY": "PTY", "NGO": "NGO", "CRM": "CRM", "AGR": "AGR", "ENV": "ENV", "HRI": "NGO",
    "IGO": "IGO", "UAF": "REB", "MUS": "REL", "CHR": "REL", "JEW": "REL", "REL": "REL",
    "PPL": "CVL",
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class PetrRecord:
    """One validation sentence with its gold codings."""

    id: str
    date: str | None
    text: str
    events: tuple[tuple[str, str, str], ...] = field(default_factory=tuple)
    noevents: bool = False


def _attrs(tag: str) -> dict[str, str]:
    return {k: html.unescape(v) for k, v in re.findall(r'(\w+)="([^"]*)"', tag)}


def read_petr(path: str | Path) -> list[PetrRecord]:
    """Read the validation records; raises ValueError naming the file when none are found."""
    path = Path(path)
    raw = path.read_text(encoding="utf-8", errors="replace")
    text = "\n".join(line for line in raw.splitlines() if not line.lstrip().startswith("#"))
    records: list[PetrRecord] = []
    for m in re.finditer(r"<Sentence\b([^>]*)>(.*?)</Sentence>", text, flags=re.S):
        attrs = _attrs(m.group(1))
        body = m.group(2)
        tm = re.search(r"<Text>(.*?)</Text>", body, flags=re.S)
        if not tm:
            continue
        sentence = " ".join(html.unescape(tm.group(1)).split())
        events = []
        noevents = False
        for em in re.finditer(r"<EventCoding\b([^>]*)/?>", body):
            ea = _attrs(em.group(1))
            if ea.get("noevents", "").lower() == "true":
                noevents = True
            elif ea.get("eventcode"):
                events.append((ea.get("sourcecode", ""), ea.get("targetcode", ""), ea["eventcode"]))
        d = attrs.get("date", "")
        date = f"{d[:4]}-{d[4:6]}-{d[6:8]}" if re.fullmatch(r"\d{8}", d) else None
        records.append(
            PetrRecord(attrs.get("id", str(len(records))), date, sentence, tuple(events), noevents)
        )  # noqa: E501
    if not records:
        raise ValueError(f"{path}: no <Sentence> records with <Text> found")
    return records


def split_code(code: str) -> tuple[str, str | None]:
    """CAMEO actor code -> (country or IGO or '---', PLOVER sector or None)."""
    code = code.strip().upper()
    country = code[:3] or "---"
    agent = code[3:6] or None
    return country, CAMEO_AGENT_TO_SECTOR.get(agent, agent) if agent else None


def _actor_key(a: Actor) -> tuple[str, str | None]:
    country = a.country or ("IGO" if a.org else "---")
    return country, a.sector


#: Modalities of events that did not (yet) happen; PETRARCH codes none of them.
UNREAL_MODALITIES = frozenset({"hypothetical", "negated"})


def event_triples(events: Iterable[Event], *, sectors: bool) -> Counter[tuple[str, ...]]:
    """(source, target, root) triples of coded events; sectors add the sector to each side.

    Hypothetical and negated events are left out: they did not happen, and PETRARCH's gold
    codes only what a sentence reports (asserted, announced or intended acts).
    """
    out: Counter[tuple[str, ...]] = Counter()
    for ev in events:
        if ev.modality in UNREAL_MODALITIES:
            continue
        root = (ev.cameo or "")[:2]
        seen = set()
        for s in ev.sources:
            for t in ev.targets or (Actor(text=""),):
                sk, tk = _actor_key(s), _actor_key(t) if t.text or t.country else ("---", None)
                if sk == tk:
                    continue
                key = (
                    (sk[0], tk[0], root)
                    if not sectors
                    else (f"{sk[0]}{sk[1] or ''}", f"{tk[0]}{tk[1] or ''}", root)
                )  # noqa: E501
                if key not in seen:
                    seen.add(key)
                    out[key] += 1
    return out


def _gold_triples(rec: PetrRecord, *, sectors: bool) -> Counter[tuple[str, ...]]:
    out: Counter[tuple[str, ...]] = Counter()
    for src, tgt, code in rec.events:
        (sc, ss), (tc, ts) = split_code(src), split_code(tgt)
        key = (
            (sc, tc, code[:2]) if not sectors else (f"{sc}{ss or ''}", f"{tc}{ts or ''}", code[:2])
        )  # noqa: E501
        out[key] += 1
    return out


def evaluate_petr(
    path: str | Path, *, typing: str = "hybrid", nlp: Language | None = None
) -> dict[str, object]:
    """Code every validation sentence and score the triples (country-level and with sectors)."""
    from polybius.pipeline import code_article

    records = read_petr(path)
    counts = {"country": [0, 0, 0], "sector": [0, 0, 0]}
    noevent_sentences = noevent_clean = 0
    for rec in records:
        article = Article.create(rec.text, doc_id=rec.id, date=rec.date)
        events = code_article(article, nlp, typing=typing).events
        if rec.noevents and not rec.events:
            noevent_sentences += 1
            noevent_clean += int(all(e.modality in UNREAL_MODALITIES for e in events))
        for name, sectors in (("country", False), ("sector", True)):
            gold = _gold_triples(rec, sectors=sectors)
            pred = event_triples(events, sectors=sectors)
            tp = sum((gold & pred).values())
            counts[name][0] += tp
            counts[name][1] += sum(pred.values()) - tp
            counts[name][2] += sum(gold.values()) - tp
    result: dict[str, object] = {"n_sentences": len(records), "typing": typing}
    for name, (tp, fp, fn) in counts.items():
        p, r, f = prf(tp, fp, fn)
        result[name] = {
            "precision": round(p, 4),
            "recall": round(r, 4),
            "f1": round(f, 4),
            "tp": tp,
            "fp": fp,
            "fn": fn,
        }  # noqa: E501
    result["noevent_sentences"] = noevent_sentences
    result["noevent_correct"] = noevent_clean
    return result
