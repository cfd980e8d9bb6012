"""Event extraction: parsed article + actor mentions -> coded Events with evidence.

Per sentence (skipped cheaply when no trigger word occurs): find frames (clauses.py), turn
them into typing Candidates, decide types for the whole article in one call (decide.py), then
add modality, PLOVER's future-cooperation rule, attribution, date, place and quantity, build
the Event with its evidence and merge repeats (dedup.py).

``code_events`` returns each event with an explanation (rule or model, trigger, clause roles,
modality cues, attribution cue, date cue, confidence) for ``polybius code --explain``.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy
from spacy.attrs import LEMMA, POS
from spacy.symbols import AUX, VERB
from spacy.tokens import Doc, Span, Token

from polybius.events.attribution import (
    Claim,
    QuoteClaims,
    according_to,
    quote_claims,
    speaker_for,
    stated_by,
)
from polybius.events.candidates import TYPING_MODES, Candidate, TypeDecision
from polybius.events.clauses import Frame, find_frames
from polybius.events.dates import date_for
from polybius.events.decide import (
    decide_types,
    decide_types_grouped,
    is_non_event,
    non_event_threshold,
)
from polybius.events.dedup import dedup_events
from polybius.events.location import location_of, place_fields
from polybius.events.mentions import MentionIndex, has_code
from polybius.events.modality import modality_of, plover_future_rule, plover_refusal_rule
from polybius.events.patterns import lexicon
from polybius.events.quantities import quantity_in
from polybius.events.triggers import has_trigger
from polybius.nlp import doc_text
from polybius.ontology import goldstein, plover_to_cameo
from polybius.ontology import quad_class as quad_of
from polybius.records import Actor, ActorMention, Article, Event, Quantity

__all__ = [
    "extract_events",
    "extract_events_many",
    "code_events",
    "code_events_many",
    "Explained",
    "candidate_for",
    "typing_candidates",
]

#: Types coded without a target (a protest or a mobilisation stands on its own); every other
#: event needs a target or several participants (a mutual event).
_SELF_STANDING = {"PROTEST", "MOBILIZE"}
_CONTINUE_VERBS = {"take", "hold", "begin", "start", "happen", "occur", "continue", "last", "run"}


@dataclass(frozen=True, slots=True)
class Explained:
    """An event with why it was coded (for --explain and debugging)."""

    event: Event
    explanation: dict[str, object] = field(default_factory=dict)


def _article_date(article: Article) -> dt.date | None:
    if not article.date:
        return None
    try:
        return dt.date.fromisoformat(article.date[:10])
    except ValueError:
        return None


def _actor(m: ActorMention) -> Actor:
    return m.as_actor()


def candidate_for(frame: Frame, sent: Span, sent_text: str | None = None) -> Candidate:
    """The typing Candidate of a frame (offsets relative to the sentence). ``sent_text`` is
    the sentence's text when the caller has it (``Span.text`` builds a Token per word)."""
    base = sent.start_char

    def rel(tokens: list[Token]) -> tuple[int, int] | None:
        if not tokens:
            return None
        t = tokens[0]
        return (t.left_edge.idx - base, t.right_edge.idx + len(t.right_edge.text) - base)

    trig = frame.trigger
    source = rel(frame.source_tokens) or (trig.idx - base, trig.idx + len(trig.text) - base)
    features = [
        f"lemma={trig.lemma_.lower()}",
        f"pos={trig.pos_}",
        f"anchor={frame.anchor.lemma_.lower()}",
        f"dep={trig.dep_}",
        *(f"role={r.split(':')[0]}" for r in frame.roles),
        *(f"prep={c.lower_}" for c in frame.anchor.children if c.dep_ == "prep"),
        *(f"aux={c.lower_}" for c in frame.anchor.children if c.dep_ in {"aux", "neg"}),
    ]
    return Candidate(
        sentence=sent.text if sent_text is None else sent_text,
        source=source,
        target=rel(frame.target_tokens),
        trigger=(trig.idx - base, trig.idx + len(trig.text) - base),
        trigger_lemma=trig.lemma_.lower(),
        rule_type=frame.match.event_type or None,
        rule_cameo=frame.match.cameo,
        rule_name=frame.match.rule,
        rule_confidence=frame.match.confidence,
        features=tuple(features),
    )


def _place_target(
    frame: Frame, index: MentionIndex, sources: list[ActorMention]
) -> list[ActorMention]:  # noqa: E501
    """A protest or mobilisation with no target is aimed at the country where it happens
    ("activists protested in Beijing", "exercises in Alaska"), unless that is the source's own."""
    own = {m.country for m in sources if m.country}
    for head in (frame.trigger, frame.anchor):
        for c in head.children:
            if c.dep_ != "prep" or c.lower_ not in {"in", "at", "near", "outside", "inside"}:
                continue
            for pobj in c.children:
                if pobj.dep_ != "pobj":
                    continue
                got = [m for m in index.for_argument(pobj) if m.country and not m.org]
                got = [replace(m, sector=None, name=None) for m in got if m.country not in own]
                if got:
                    frame.roles.append(f"target-place:{pobj.text}")
                    return got[:1]
    return []


def _quantity(frame: Frame) -> Quantity | None:
    tokens = list(frame.source_tokens) + list(frame.target_tokens)
    tokens += [c for c in frame.anchor.children if c.dep_ in {"dobj", "nsubj"}]
    return quantity_in(tokens)


@dataclass(slots=True)
class _Draft:
    frame: Frame
    sent: Span
    sent_index: int
    candidate: Candidate


def _claims_for(
    frame: Frame, sent: Span, index: MentionIndex, quotes: QuoteClaims, prior: Claim | None
) -> Claim | None:
    return (
        speaker_for(frame.anchor, index)
        or according_to(sent, index)
        or quotes.at(frame.trigger.idx)
        or prior
    )


def code_events(
    doc: Doc, actors: list[ActorMention], article: Article, *, typing: str = "hybrid"
) -> list[Explained]:
    """Events of one parsed article with their explanations (deduplicated)."""
    return code_events_many([(doc, actors, article)], typing=typing)[0]


def code_events_many(
    items: Sequence[tuple[Doc, list[ActorMention], Article]], *, typing: str = "hybrid"
) -> list[list[Explained]]:
    """:func:`code_events` for several parsed articles: the same events, with the typing
    model reading all their candidates in one call (the pipeline codes a batch of articles
    this way; a one-article batch is :func:`code_events`)."""
    plans = [_plan(doc, actors, article) for doc, actors, article in items]
    decisions = _decide_many([plan.drafts for plan in plans], typing)
    return [_finish(plan, d) for plan, d in zip(plans, decisions, strict=True)]


@dataclass
class _Plan:
    """One article up to typing: its sentences, claims and drafts."""

    doc: Doc
    article: Article
    index: MentionIndex
    base: dt.date | None
    quotes: QuoteClaims
    sents: list[Span]
    stated: dict[int, Claim]
    drafts: list[_Draft]


def _plan(doc: Doc, actors: list[ActorMention], article: Article) -> _Plan:
    index = MentionIndex(actors)
    text = doc_text(doc)
    quotes = quote_claims(doc, index, text) if any(q in text for q in '“«"') else QuoteClaims([])
    sents = list(doc.sents)
    # "This was stated by X" attributes the sentence before it
    stated: dict[int, Claim] = {}
    for i, sent in enumerate(sents):
        if i > 0:
            claim = stated_by(sent, index)
            if claim is not None:
                stated[i - 1] = claim
    drafts = _drafts(sents, index, text)
    return _Plan(doc, article, index, _article_date(article), quotes, sents, stated, drafts)


def _finish(plan: _Plan, decisions: list[TypeDecision]) -> list[Explained]:
    """Build, attach and merge the events of a planned article from its drafts' types."""
    threshold = non_event_threshold()
    out: list[Explained] = []
    continuations: list[tuple[_Draft, TypeDecision]] = []
    for draft, decision in zip(plan.drafts, decisions, strict=True):
        if threshold is not None and is_non_event(decision, threshold):
            continue  # the typing model reads no event between this pair
        _joint_partner(draft, out)
        ev = None
        if not draft.frame.match.rule.startswith("weak-"):
            prior = plan.stated.get(draft.sent_index)
            ev = _build(draft, decision, plan.article, plan.index, plan.quotes, prior, plan.base)
        if ev is None:
            if decision.event_type and not any(has_code(m) for m in draft.frame.sources):
                continuations.append((draft, decision))
            continue
        out.append(ev)
    out = _attach_continuations(out, continuations)
    out = _attach_places(out, plan.doc, plan.sents, plan.index)
    merged = dedup_events([e.event for e in out])
    expl = {e.event.event_id: e.explanation for e in out}
    for e in out:
        expl.setdefault(e.event.event_id, e.explanation)
    return [Explained(ev, expl.get(ev.event_id, {})) for ev in merged]


def _drafts(sents: list[Span], index: MentionIndex, text: str) -> list[_Draft]:
    """A draft per frame of each sentence that has a trigger word, in text order."""
    lex = lexicon()
    drafts: list[_Draft] = []
    for i, sent in enumerate(sents):
        # the doc text's slice is the span's text (Span.text joins its tokens one by one)
        sent_text = text[sent.start_char : sent.end_char]
        if not has_trigger(sent_text):
            continue
        for frame in find_frames(sent, index, lex):
            drafts.append(_Draft(frame, sent, i, candidate_for(frame, sent, sent_text)))
    return drafts


def typing_candidates(doc: Doc, actors: list[ActorMention]) -> list[Candidate]:
    """The candidates of a parsed article that the typing model reads when coding it (the
    frames that can become an event), in text order: for evaluating and training typers on
    whole articles."""
    drafts = _drafts(list(doc.sents), MentionIndex(actors), doc_text(doc))
    return [d.candidate for d in drafts if can_become_event(d.frame)]


def can_become_event(frame: Frame) -> bool:
    """Whether a frame can give an event under some type: it needs a source with a code or
    sector, and a target (or a joint partner to borrow) with a code on one side, or a
    pattern reading of a type coded without a target (PROTEST, MOBILIZE). A "weak-" match
    never gives an event of its own."""
    if frame.match.rule.startswith("weak-"):
        return False
    sources = [m for m in frame.sources if has_code(m) or m.sector]
    if not sources:
        return False
    if frame.mutual:
        return any(has_code(m) for m in sources)
    targets = [m for m in frame.targets if has_code(m) or m.sector]
    if targets:
        return any(has_code(m) for m in (*sources, *targets))
    if any(r.startswith("mutual-cue") for r in frame.roles):
        return True  # _joint_partner may find the partner in an earlier event
    return frame.match.event_type in _SELF_STANDING


def _decide_many(draft_lists: list[list[_Draft]], typing: str) -> list[list[TypeDecision]]:
    """Type the drafts of each article: the learned model (typing "model"/"hybrid") only
    reads the drafts that can become an event, all articles' in one call; the others keep
    their pattern reading, which is all that a report without a coded actor passes on (to
    ``_attach_continuations``). The model costs far more per candidate than the patterns,
    and most drafts of a news article name no actor on one side (measured: 114 of 1,415
    drafts in 80 articles could become events)."""
    if typing not in TYPING_MODES:
        raise ValueError(f"unknown typing {typing!r}; choose one of {', '.join(TYPING_MODES)}")
    decisions = [decide_types([d.candidate for d in drafts], "rules") for drafts in draft_lists]
    if typing == "rules":
        return decisions
    wanted = [
        [i for i, d in enumerate(drafts) if can_become_event(d.frame)] for drafts in draft_lists
    ]
    if not any(wanted):
        return decisions
    groups = [
        [drafts[i].candidate for i in w] for drafts, w in zip(draft_lists, wanted, strict=True)
    ]
    typed = decide_types_grouped(groups, typing)
    for mine, w, t in zip(decisions, wanted, typed, strict=True):
        for i, decision in zip(w, t, strict=True):
            mine[i] = decision
    return decisions


def _joint_partner(draft: _Draft, built: list[Explained]) -> None:
    """A joint act with no partner named ("he signed a joint statement") takes the partner of
    the latest event of the same source in the two sentences before it."""
    frame = draft.frame
    if frame.targets or frame.mutual or not any(r.startswith("mutual-cue") for r in frame.roles):
        return
    codes = {m.country or m.org or m.name for m in frame.sources if has_code(m)}
    if not codes:
        return
    for ex in reversed(built):
        ev = ex.event
        if ev.sentence_index < draft.sent_index - 2:
            break
        if ev.targets and codes & {a.country or a.org or a.name for a in ev.sources}:
            frame.targets = [
                ActorMention(
                    text=a.text,
                    start=-1,
                    end=-1,
                    country=a.country,
                    sector=a.sector,
                    org=a.org,
                    name=a.name,
                )  # noqa: E501
                for a in ev.targets
            ]
            frame.roles.append(f"partner-from-sentence:{ev.sentence_index}")
            return


def _continue_verbs(doc: Doc, sents: list[Span]) -> list[tuple[int, Token]]:
    """(sentence index, token) of every verb or auxiliary whose lemma is a continuation verb,
    in text order; found on the doc's arrays instead of building every Token."""
    arr = doc.to_array([POS, LEMMA])
    verbs = numpy.flatnonzero((arr[:, 0] == VERB) | (arr[:, 0] == AUX)).tolist()
    strings = doc.vocab.strings
    starts = [s.start for s in sents]
    out: list[tuple[int, Token]] = []
    for i in verbs:
        if strings[int(arr[i, 1])].lower() in _CONTINUE_VERBS:
            out.append((bisect.bisect_right(starts, i) - 1, doc[i]))
    return out


def _attach_places(
    events: list[Explained], doc: Doc, sents: list[Span], index: MentionIndex
) -> list[Explained]:
    """'They will take place on Chinese territory' / 'The talks will be held in Geneva': a
    clause about an earlier event (pronoun or event-noun subject) gives its place."""
    from dataclasses import replace

    if not events:
        return events  # nothing to attach a place to
    for i, tok in _continue_verbs(doc, sents):
        if tok.lemma_.lower() == "take" and not any(c.lower_ == "place" for c in tok.children):
            continue
        subj = [c for c in tok.children if c.dep_ in {"nsubj", "nsubjpass"}]
        if not subj or not (
            subj[0].pos_ == "PRON" or lexicon().noun_patterns(subj[0].lemma_.lower())
        ):  # noqa: E501
            continue
        fake = Frame(trigger=tok, anchor=tok, match=None)  # type: ignore[arg-type]
        place = location_of(fake, index, set())
        if not place:
            continue
        for j in range(len(events) - 1, -1, -1):
            ev = events[j].event
            if i - 2 <= ev.sentence_index < i:
                if ev.location is None:
                    events[j] = Explained(
                        replace(ev, **place_fields(place)),  # type: ignore[arg-type]
                        {**events[j].explanation, "place_from": sents[i].text[:80]},
                    )  # noqa: E501
                break
    return events


def _attach_continuations(
    events: list[Explained], continuations: list[tuple[_Draft, TypeDecision]]
) -> list[Explained]:
    """A report with no named actor ("About ten thousand troops will take part in the
    manoeuvres") adds its quantity/place to the latest event of the same type in the three
    sentences before it."""
    from dataclasses import replace

    for draft, decision in continuations:
        qty = _quantity(draft.frame)
        if qty is None:
            continue
        for j in range(len(events) - 1, -1, -1):
            ev = events[j].event
            if draft.sent_index - 3 <= ev.sentence_index <= draft.sent_index and (
                events[j].explanation.get("original_type") == decision.event_type
                or ev.event_type == decision.event_type
            ):
                if ev.quantity is None:
                    events[j] = Explained(
                        replace(ev, quantity=qty),
                        {**events[j].explanation, "quantity_from": draft.sent.text[:80]},
                    )  # noqa: E501
                break
    return events


def _build(
    draft: _Draft,
    decision: TypeDecision,
    article: Article,
    index: MentionIndex,
    quotes: QuoteClaims,
    prior: Claim | None,
    base: dt.date | None,
) -> Explained | None:
    frame, sent = draft.frame, draft.sent
    etype = decision.event_type
    if not etype:
        return None
    # a side may be a sector-only agent ("rebels", "police") when the other side is coded
    sources = [m for m in frame.sources if has_code(m) or m.sector]
    targets = [m for m in frame.targets if has_code(m) or m.sector]
    if not sources:
        return None
    if frame.mutual:
        targets = list(sources)
    if not targets and etype in _SELF_STANDING:
        targets = _place_target(frame, index, sources)
    if not targets and etype not in _SELF_STANDING:
        return None
    if not any(has_code(m) for m in (*sources, *targets)):
        return None
    cameo = (
        decision.cameo if decision.cameo and decision.event_type == frame.match.event_type else None
    )  # noqa: E501
    if cameo is None:
        cameo = frame.match.cameo if etype == frame.match.event_type else plover_to_cameo(etype)
    mod = modality_of(frame.anchor, frame.trigger)
    modality = mod.modality
    date_iso, precision, date_cue = None, None, None
    if base is not None:
        got = date_for(
            frame.anchor, frame.trigger, sent, base, future=modality in {"future", "intended"}
        )
        if got:
            date_iso, precision, date_cue = got
            if modality == "asserted" and precision == "day" and date_iso > base.isoformat():
                modality = "future"
        else:
            date_iso, precision = base.isoformat(), "day"
    original, trigger_modality = etype, modality
    etype, cameo, modality = plover_refusal_rule(etype, cameo, replace(mod, modality=modality))
    etype, cameo = plover_future_rule(etype, cameo, modality, offer=mod.offer)
    rule = f"{decision.decided_by}:{frame.match.rule}"
    if etype != original:
        rule += f" [{mod.modality} {original}->{etype}]"
    claim = _claims_for(frame, sent, index, quotes, prior)
    used = {t.i for t in frame.target_tokens}
    location = location_of(frame, index, used)
    quantity = _quantity(frame)
    src_actors = tuple(_actor(m) for m in sources)
    tgt_actors = tuple(_actor(m) for m in targets)
    event_id = Event.make_id(article.article_id, etype, src_actors, tgt_actors, date_iso, modality)
    trig = frame.trigger
    mode = frame.match.mode if etype == frame.match.event_type else None
    context = frame.match.context
    try:
        qclass = quad_of(etype)
    except KeyError:
        qclass = None
    conf = round(max(0.05, min(1.0, decision.confidence)), 3)
    event = Event(
        event_id=event_id,
        article_id=article.article_id,
        doc_id=article.doc_id,
        event_type=etype,
        sources=src_actors,
        targets=tgt_actors,
        sentence=draft.candidate.sentence.strip(),
        sentence_index=draft.sent_index,
        span=(trig.idx, trig.idx + len(trig.text)),
        rule=rule,
        confidence=conf,
        mode=mode,
        context=context,
        cameo=cameo,
        goldstein=goldstein(cameo, etype),
        quad_class=qclass,
        modality=modality,
        attribution=claim.attribution if claim else None,
        date=date_iso,
        date_precision=precision,
        **place_fields(location),  # type: ignore[arg-type]
        quantity=quantity,
        trigger=trig.text,
    )
    explanation: dict[str, object] = {
        "rule": rule,
        "decided_by": decision.decided_by,
        "trigger": trig.text,
        "roles": list(frame.roles),
        "modality_cues": list(mod.cues),
        "trigger_modality": trigger_modality,
        "attribution_cue": claim.cue if claim else None,
        "date_cue": date_cue or ("article date" if date_iso else None),
        "confidence": conf,
        "original_type": original,
        "pattern_type": frame.match.event_type,
        "mutual": frame.mutual,
    }
    if decision.scores:
        top = sorted(decision.scores.items(), key=lambda kv: -kv[1])[:3]
        explanation["model_scores"] = {k: round(v, 4) for k, v in top}
    if decision.p_none is not None:
        explanation["p_none"] = decision.p_none
    return Explained(event, explanation)


def extract_events(
    doc: Doc,
    actors: list[ActorMention],
    article: Article,
    *,
    typing: str = "hybrid",
    **options: object,  # noqa: E501
) -> list[Event]:
    """Return the events coded from ``doc`` (see module docstring); ``typing`` is
    "rules", "model" or "hybrid" (model falls back to rules when unavailable)."""
    return [e.event for e in code_events(doc, actors, article, typing=typing)]


def extract_events_many(
    items: Sequence[tuple[Doc, list[ActorMention], Article]], *, typing: str = "hybrid"
) -> list[list[Event]]:
    """:func:`extract_events` for several parsed articles, typed in one model call."""
    return [[e.event for e in evs] for evs in code_events_many(items, typing=typing)]
