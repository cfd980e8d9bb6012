"""Clause shapes: find event triggers in a parsed sentence and their source and target actors.

A *frame* is one possible event: a trigger (an event verb, or an event noun such as "talks"),
its anchor (the verb that carries tense, subject and auxiliaries; the trigger itself for
verbs), the pattern that typed it, and the actors on each side:

* sources: the subject with its conjuncts and appositions ("Moscow and Beijing"), the passive
  agent ("was attacked by X"), a subject inherited through xcomp/conj chains ("hopes to
  double", "met X and signed"), the head noun of a relative clause; for event nouns also the
  possessor ("China's cooperation") or an actor adjective ("Russian aid"), and else the
  subject of the governing verb, unless the noun sits in an adjunct of time, cause or
  knowledge ("after the attack on X, Y warned ...": Y did not attack);
* targets: direct objects, the nsubjpass of a passive, prepositional objects ("with Russia",
  "against China", "to Washington", "on Iran"), an actor inside the object ("praised
  China's efforts", "cooperation with Russia"); a combining form ("Sino-Russian relations")
  gives every country it names except the source's own;
* mutual events: conjoined sources with no target ("Moscow and Beijing pledged bilateral
  cooperation") or an organisation meeting as a group ("the summit of the four countries")
  list each participant as both source and target.

An event verb that governs another trigger through xcomp or its direct object wins over it
("pledged to expand cooperation" is one AGREE event, "refused to meet" one REJECT event);
event nouns in adjuncts stay separate events ("in a conversation with Xi, Putin called ...").
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from spacy.tokens import Span, Token

from polybius.events.mentions import MentionIndex, has_code
from polybius.events.patterns import (
    CONTEXT_CAMEO,
    Lexicon,
    NounPattern,
    PatternMatch,
    WordBag,
    lexicon,
)
from polybius.ontology import cameo_to_plover

__all__ = ["Frame", "find_frames", "TARGET_PREPS", "word_bag"]

#: Prepositions whose object is the target of a verb event.
TARGET_PREPS = frozenset(
    {"with", "against", "to", "toward", "towards", "on", "upon", "at", "into", "for", "over"}
)  # noqa: E501
_SUBJ = {"nsubj", "csubj"}
_OBJ = {"dobj", "obj", "dative", "oprd"}
_SKIP_POST = {
    "punct",
    "cc",
    "conj",
    "ccomp",
    "advcl",
    "parataxis",
    "mark",
    "relcl",
    "nsubj",
    "nsubjpass",
    "aux",
    "auxpass",
    "neg",
    "csubj",
}  # noqa: E501
_JOINT = {
    "joint",
    "bilateral",
    "trilateral",
    "multilateral",
    "combined",
    "mutual",
    "common",
    "shared",
}  # noqa: E501
_MUTUAL_CUES = _JOINT | {"together", "each", "one", "jointly"}
_SYMMETRIC = {"CONSULT", "AGREE", "COOPERATE", "SUPPORT"}
#: Event nouns that name an exchange a governor verb can stop, refuse or ask for.
_EXCHANGES = _SYMMETRIC | {"AID"}
#: Verbs of intention, expectation and speech: with a clausal complement they are modality or
#: attribution cues, never events themselves ("hopes to double", "thinks that").
_NOT_EVENTS = {
    "hope", "hopes", "plan", "intend", "seek", "aim", "want", "wish", "try", "attempt",
    "expect", "say", "think", "believe", "write", "state", "tell", "note", "claim", "argue",
    "report", "add", "consider", "see", "feel", "mean", "prepare", "continue", "begin", "start",
    "need", "have", "be", "appear", "seem", "decide", "help", "lead", "set", "schedule",
    "scheduled", "poise", "go", "going", "slate", "due", "able", "willing", "ready",
}  # fmt: skip


@dataclass(slots=True)
class Frame:
    """One possible event in a sentence, before typing and modality."""

    trigger: Token
    anchor: Token
    match: PatternMatch
    sources: list = field(default_factory=list)
    targets: list = field(default_factory=list)
    source_tokens: list[Token] = field(default_factory=list)
    target_tokens: list[Token] = field(default_factory=list)
    mutual: bool = False
    noun: bool = False
    roles: list[str] = field(default_factory=list)


def _words(tokens) -> set[str]:
    out: set[str] = set()
    for t in tokens:
        out.add(t.lower_)
        out.add(t.lemma_.lower())
    return out


_CLAUSE_DEPS = frozenset({"pcomp", "xcomp", "ccomp", "acl", "relcl", "advcl", "csubj"})


#: Clauses nested in an object ("a bus carrying government employees") whose words never
#: select a pattern of the main verb.
_NESTED = frozenset({"acl", "relcl", "advcl"})


def _outside_clauses(tokens, head: Token, deps: frozenset[str] | None = None) -> list[Token]:
    """Tokens of ``tokens`` that are not inside a verbal clause below ``head``."""
    deps = _CLAUSE_DEPS if deps is None else deps
    out = []
    for t in tokens:
        cur, inside = t, False
        while cur != head and cur.head != cur:
            if cur.dep_ in deps and cur.pos_ in {"VERB", "AUX"}:
                inside = True
                break
            cur = cur.head
        if not inside:
            out.append(t)
    return out


def _is_time_phrase(prep: Token) -> bool:
    """'on Tuesday', 'in May 2021': a date phrase is no pattern preposition ("call * (on)")."""
    objs = [c for c in prep.children if c.dep_ == "pobj"]
    return bool(objs) and all(o.ent_type_ in {"DATE", "TIME"} for o in objs)


def word_bag(verb: Token, lex: Lexicon | None = None) -> WordBag:
    """The words a CAMEO pattern can see around ``verb``.

    For a speech-act verb that is itself an event between actors (accuse, urge, thank, warn:
    ``speech`` in curated.tsv) the words of its complement clauses ("of blocking the treaty",
    "to stop the attacks") are left out, so that they cannot select another event type. A
    direct object adds the pseudo-word ``@dobj`` (curated patterns: "return @dobj").
    """
    speech = verb.lemma_.lower() in (lex or lexicon()).speech
    pre: set[str] = set()
    post_tokens: list[Token] = []
    preps: dict[str, frozenset[str]] = {}
    particles: set[str] = set()
    extra: set[str] = set()
    for child in verb.children:
        if child.dep_ in _OBJ:
            extra.add("@dobj")
        if speech and (child.dep_ in _CLAUSE_DEPS or (child.dep_ == "prep" and child.i < verb.i)):
            # complement clauses and fronted adjuncts ("At a rally, X demanded ...")
            continue
        if child.dep_ in {"nsubj", "nsubjpass"}:
            pre |= _words(child.subtree)
        elif child.dep_ == "prt":
            particles.add(child.lower_)
            post_tokens.append(child)
        elif child.dep_ in {"prep", "agent"}:
            if _is_time_phrase(child):
                continue
            inner = [t for t in child.subtree if t != child]
            if speech:
                inner = _outside_clauses(inner, child)
            preps[child.lower_] = frozenset(_words(inner))
            post_tokens += inner
        elif child.dep_ not in _SKIP_POST and child.i > verb.i:
            sub = list(child.subtree)
            post_tokens += _outside_clauses(sub, verb, None if speech else _NESTED)
        elif child.dep_ == "xcomp":
            post_tokens += list(child.subtree)
    post_tokens.sort(key=lambda t: t.i)
    heads: set[str] = set()
    for child in verb.children:
        objs = [child] if child.dep_ in _OBJ else []
        if child.dep_ in {"prep", "agent"}:
            objs = [p for p in child.children if p.dep_ == "pobj"]
        for o in objs:
            heads |= _words([o, *o.conjuncts])
    return WordBag(
        heads=frozenset(heads),
        pre=frozenset(pre),
        post=frozenset(_words(post_tokens)) | extra,
        post_seq=tuple(t.lemma_.lower() for t in post_tokens),
        preps=preps,
        particles=frozenset(particles),
    )


def _subject_tokens(verb: Token) -> tuple[list[Token], bool]:
    """Subject tokens of a verb and whether the clause is passive (subject = target)."""
    for step in range(5):
        subj = [c for c in verb.children if c.dep_ in _SUBJ]
        if subj:
            s = subj[0]
            if s.tag_ in {"WDT", "WP"} and verb.dep_ == "relcl":
                return [verb.head], False
            return [s], False
        passive = [c for c in verb.children if c.dep_ == "nsubjpass"]
        if passive:
            # "Norway is set to attack": an inherited passive subject is the actor
            return passive, step == 0
        if verb.dep_ == "relcl":
            return [verb.head], False
        if verb.dep_ in {"xcomp", "conj", "advcl", "acomp"} and verb.head != verb:
            verb = verb.head
            continue
        break
    return [], False


def _agent_tokens(verb: Token) -> list[Token]:
    return [p for c in verb.children if c.dep_ == "agent" for p in c.children if p.dep_ == "pobj"]


def _prep_objects(tok: Token, preps: frozenset[str]) -> list[tuple[str, Token]]:
    out = []
    for c in tok.children:
        if c.dep_ in {"prep", "dative"} and c.pos_ == "ADP" and c.lower_ in preps:
            for p in c.children:
                if p.dep_ == "pobj":
                    out.append((c.lower_, p))
    return out


def _anchor_of(noun: Token) -> Token | None:
    """The verb that governs an event noun ("take part in a joint exercise" -> take)."""
    cur = noun
    for _ in range(5):
        if cur.head == cur:
            return None
        if cur.dep_ in {"compound", "amod"}:
            return None
        cur = cur.head
        if cur.pos_ in {"VERB", "AUX"}:
            return cur
    return None


def _dedupe(mentions: list[Any]) -> list[Any]:
    out: list[Any] = []
    for m in mentions:
        key = (m.country, m.org, m.name, m.sector) if has_code(m) else (m.text,)
        if not any(
            ((o.country, o.org, o.name, o.sector) if has_code(o) else (o.text,)) == key for o in out
        ):  # noqa: E501
            out.append(m)
    return out


def _expand_members(mentions: list) -> list:
    """An organisation acting as a group keeps its code; combining forms split into countries."""
    out = []
    for m in mentions:
        if m.members and (m.kind == "combining_form" or not m.org):
            for code in m.members:
                out.append(replace(m, country=code, members=(), org=None))
        else:
            out.append(m)
    return out


def _codes(mentions: list) -> set[str]:
    return {m.country or m.org or m.name or m.text for m in mentions}


def _same_side(t, src_countries: set, src_sectors: set) -> bool:
    """A target of the source's own country is the same side, unless both name different
    sectors of it (a domestic event: "Georgian demonstrators attacked the Georgian
    government")."""
    if not t.country or t.org or t.country not in src_countries:
        return False
    if t.sector:
        own = {sec for c, sec in src_sectors if c == t.country}
        if own and None not in own and t.sector not in own:
            return False
    return True


def _finish(frame: Frame) -> Frame:
    """Split combining forms, drop the source's own country from targets, mark mutual events."""
    frame.sources = _dedupe(_expand_members(frame.sources))
    targets = _dedupe(_expand_members(frame.targets))
    src_countries = {m.country for m in frame.sources if m.country}
    src_codes = _codes(frame.sources)
    src_sectors = {(m.country, m.sector) for m in frame.sources if m.country}
    targets = [
        t
        for t in targets
        if not _same_side(t, src_countries, src_sectors)
        and (
            (t.country and not t.org and not t.name) or (t.org or t.name or t.text) not in src_codes
        )
    ]
    frame.targets = targets
    if not frame.targets and len(frame.sources) > 1 and frame.match.event_type in _SYMMETRIC:
        frame.mutual = True
    if not frame.targets and len(frame.sources) == 1:
        m = frame.sources[0]
        meeting = frame.trigger.lemma_.lower() in {
            "summit",
            "meeting",
            "talks",
            "conference",
        } or any(  # noqa: E501
            r.startswith("of-participants") for r in frame.roles
        )
        if (
            m.members
            and m.org
            and frame.match.event_type in _SYMMETRIC
            and frame.noun
            and meeting
            and len(m.members) <= 12
        ):  # noqa: E501
            members = [replace(m, country=c, members=(), org=None) for c in m.members]
            frame.sources = members
            frame.mutual = True
    return frame


def _context_words(noun: Token) -> list[str]:
    words = []
    for c in noun.children:
        if c.dep_ in {"amod", "compound"}:
            words.append(c.lower_)
            words += [x.lower_ for x in c.conjuncts]
        if c.dep_ == "prep" and c.lower_ in {"in", "on"}:
            words += [t.lower_ for t in c.subtree]
    return words


def _noun_match(
    lex: Lexicon, noun: Token, anchor: Token | None
) -> tuple[PatternMatch, NounPattern] | None:
    lemma = noun.lemma_.lower()
    pats = lex.noun_patterns(lemma) or lex.noun_patterns(noun.lower_)
    if not pats:
        return None
    mods = {c.lower_ for c in noun.children if c.dep_ in {"amod", "compound"}}
    joint = bool(mods & _JOINT)
    for pat in sorted(pats, key=lambda p: p.needs_joint and not joint):
        weak = pat.needs_joint and not joint
        ptype, cameo = pat.event_type, pat.cameo
        ctx = lex.context_for(_context_words(noun)) or pat.context
        mode = pat.mode
        if ctx and (ptype, ctx) in CONTEXT_CAMEO and cameo[:2] in {"06", "07", "03"}:
            cameo = CONTEXT_CAMEO[(ptype, ctx)]
            _, mode2, _ = cameo_to_plover(cameo)
            mode = mode or mode2
        rule = f"noun:{pat.lemma}" + (f" {'|'.join(sorted(pat.preps))}" if pat.preps else "")
        conf = 0.7
        if weak:
            # "the manoeuvres" without "joint": only continues an earlier event
            rule = "weak-" + rule
            conf = 0.3
        if anchor is not None and anchor.lemma_.lower() in lex.governors:
            gcameo, gtype = lex.governors[anchor.lemma_.lower()]
            rule = f"governor:{anchor.lemma_.lower()}+{rule}"
            ptype, cameo, mode = gtype, gcameo, None
            conf = 0.65
        return PatternMatch(cameo, ptype, mode, ctx, rule, 1, conf), pat
    return None


def find_frames(sent: Span, index: MentionIndex, lex: Lexicon) -> list[Frame]:
    """All frames of a sentence whose trigger matched a pattern."""
    frames: list[Frame] = []
    verb_frames: dict[int, Frame] = {}
    light: set[int] = set()
    tokens = list(sent)  # one pass over the span: Token objects are built on each iteration
    for tok in tokens:
        if tok.pos_ not in {"VERB", "AUX"}:
            continue
        lemma = tok.lemma_.lower()
        if lex.is_event_verb(lemma):
            if (lemma in _NOT_EVENTS or tok.lower_ in _NOT_EVENTS) and any(
                c.dep_ in {"xcomp", "ccomp"} for c in tok.children
            ):
                continue
            match = lex.match_verb(lemma, word_bag(tok, lex))
            if match is None:
                continue
            frame = _verb_frame(tok, match, index)
            verb_frames[tok.i] = frame
            frames.append(frame)
    for tok in tokens:
        if tok.pos_ not in {"NOUN", "PROPN"}:
            continue
        if not (lex.noun_patterns(tok.lemma_.lower()) or lex.noun_patterns(tok.lower_)):
            continue
        anchor = _anchor_of(tok)
        is_object = anchor is not None and _object_path(tok, anchor)
        got = _noun_match(lex, tok, anchor if is_object else None)
        if got is None:
            continue
        match, pat = got
        # an event verb taking the noun as its object (or through xcomp) wins
        if is_object and anchor is not None:
            outer = _governing_frame(anchor, verb_frames)
            if (
                outer is not None
                and outer.trigger == anchor
                and anchor.lemma_.lower() in lex.no_default
                and not (
                    outer.match.rule.startswith("curated:")
                    and outer.match.event_type != match.event_type
                )
            ):
                # a light verb ("expand cooperation", "hold talks"): the noun decides,
                # unless an event verb governs the light verb ("pledged to expand ...");
                # a curated verb+noun pattern of another type ("sign an agreement" -> 057
                # SUPPORT, not the noun's AGREE) decides itself
                light.add(anchor.i)
                outer = _governing_frame(anchor, verb_frames, skip_self=True)
            if outer is not None:
                if (
                    outer.trigger == anchor
                    and match.rule.startswith("governor:")
                    and pat.event_type in _EXCHANGES
                    and not outer.match.rule.startswith("curated:")
                ):
                    # "suspended aid to X": the governor rule on the object decides, not
                    # words elsewhere in the clause ("... because of the fighting")
                    outer.match = replace(match, rule=f"{match.rule} (object of {anchor.text})")
                _absorb(outer, tok, pat, index, lex)
                continue
        frames.append(_noun_frame(tok, anchor, match, pat, index))
    # a phone call made to do a verbal act ("called X to congratulate him") is that act
    purpose: set[int] = set()
    for f in frames:
        if f.noun:
            continue
        outer = _governing_frame(f.trigger, verb_frames, skip_self=True)
        if outer is None and f.trigger.dep_ == "advcl":
            outer = verb_frames.get(f.trigger.head.i)
        if outer is not None and _purpose_wins(outer, f):
            purpose.add(outer.trigger.i)
            f.sources = f.sources or list(outer.sources)
            f.source_tokens = f.source_tokens or list(outer.source_tokens)
            if outer.targets:
                f.targets = list(outer.targets)
                f.target_tokens = list(outer.target_tokens)
            f.roles.append(f"purpose-of:{outer.trigger.text}")
    # an event verb governing another verb frame through xcomp wins over it
    kept = []
    for f in frames:
        if not f.noun and f.trigger.i in light | purpose:
            continue
        if not f.noun:
            outer = _governing_frame(f.trigger, verb_frames, skip_self=True)
            if outer is not None and outer.trigger.i in purpose:
                kept.append(f)
                continue
            if outer is not None:
                if not outer.targets:
                    outer.targets = list(f.targets)
                    outer.target_tokens = list(f.target_tokens)
                continue
        kept.append(f)
    return [_finish(f) for f in kept]


#: Verbs of contact whose purpose clause names the event ("called X to congratulate him").
_CONTACT_VERBS = frozenset({"call", "phone", "telephone", "ring"})
_VERBAL_ACTS = frozenset({"SUPPORT", "AGREE", "ACCUSE", "REQUEST", "REJECT", "THREATEN"})


def _purpose_wins(outer: Frame, inner: Frame) -> bool:
    return (
        outer.trigger.lemma_.lower() in _CONTACT_VERBS
        and outer.match.event_type == "CONSULT"
        and inner.match.event_type in _VERBAL_ACTS
        and inner.trigger.dep_ in {"xcomp", "advcl"}
    )


def _object_path(noun: Token, anchor: Token) -> bool:
    """Whether the noun is the anchor's object (directly or as object of an xcomp verb)."""
    return noun.dep_ in _OBJ | {"attr"} and noun.head == anchor


def _governing_frame(
    verb: Token, verb_frames: dict[int, Frame], *, skip_self: bool = False
) -> Frame | None:  # noqa: E501
    cur = verb
    if not skip_self and cur.i in verb_frames:
        return verb_frames[cur.i]
    for _ in range(4):
        if cur.dep_ != "xcomp" or cur.head == cur:
            return None
        cur = cur.head
        if cur.i in verb_frames:
            return verb_frames[cur.i]
    return None


def _absorb(outer: Frame, noun: Token, pat, index: MentionIndex, lex: Lexicon) -> None:
    """The outer verb event takes the noun's target and context ("pledged cooperation with X")."""
    if not outer.targets:
        for _, pobj in _prep_objects(noun, pat.preps or TARGET_PREPS):
            got = index.for_argument(pobj)
            if got:
                outer.targets = got
                outer.target_tokens = [pobj]
                outer.roles.append(f"target<-{noun.text} {pobj.text}")
                break
    ctx = lex.context_for(_context_words(noun))
    if ctx and outer.match.context in {None, "diplomatic"}:
        m = outer.match
        cameo = CONTEXT_CAMEO.get((m.event_type, ctx), m.cameo)
        outer.match = replace(m, context=ctx, cameo=cameo)
    if any(c.lower_ in _JOINT for c in noun.children):
        outer.roles.append("mutual-cue:" + noun.text)


def _verb_frame(verb: Token, match: PatternMatch, index: MentionIndex) -> Frame:
    frame = Frame(trigger=verb, anchor=verb, match=match)
    subj, passive = _subject_tokens(verb)
    if passive:
        agents = _agent_tokens(verb)
        frame.source_tokens = agents
        frame.target_tokens = subj
        frame.roles.append("passive")
    else:
        frame.source_tokens = subj
        objs = [c for c in verb.children if c.dep_ in _OBJ]
        # "provide support to Israel": the parser may attach "to" as a dative preposition
        objs = [
            p
            for o in objs
            for p in ([x for x in o.children if x.dep_ == "pobj"] if o.pos_ == "ADP" else [o])
        ]  # noqa: E501
        frame.target_tokens = objs
    for t in frame.source_tokens:
        frame.sources += index.for_argument(t)
    src_countries = {m.country for m in frame.sources if m.country}
    for t in frame.target_tokens:
        got = index.for_argument(t)
        if not got or all(m.country in src_countries for m in got):
            # an actor inside the object: "cooperation with Russia", "relations with China"
            for _, pobj in _prep_objects(t, TARGET_PREPS | {"between", "of"}):
                got += index.for_argument(pobj)
        frame.targets += got
    if not frame.targets:
        for prep, pobj in _prep_objects(verb, TARGET_PREPS):
            got = index.for_argument(pobj)
            if got:
                frame.targets += got
                frame.target_tokens.append(pobj)
                frame.roles.append(f"target-prep:{prep}")
                break
    frame.roles.insert(0, f"verb:{verb.text}")
    if frame.source_tokens:
        frame.roles.append("source:" + ",".join(t.text for t in frame.source_tokens))
    if frame.target_tokens:
        frame.roles.append("target:" + ",".join(t.text for t in frame.target_tokens))
    return frame


#: Words that put an event noun in an adjunct of time, cause or knowledge: the clause's
#: subject reacts to the act, it does not do it ("after the attack on X, Y warned ...").
_ADJUNCT_PREPS = {"after", "since", "following", "amid", "amidst", "despite", "before",
                  "notwithstanding"}  # fmt: skip
_ADJUNCT_NOUNS = {
    "aftermath", "wake", "response", "reaction", "retaliation", "protest", "light", "face",
    "eve", "run-up", "concern", "fear", "report", "news", "rumour", "rumor",
}  # fmt: skip
_COGNITION_ADJ = {
    "aware", "unaware", "concerned", "worried", "sure", "certain", "confident", "sceptical",
    "skeptical", "hopeful", "optimistic", "pessimistic", "afraid", "fearful",
}  # fmt: skip


def _in_adjunct(noun: Token, anchor: Token) -> bool:
    """Whether an event noun sits in an adjunct of time, cause or knowledge below its
    governing verb ("in the aftermath of the attack", "after the strike", "aware of any
    talks"): then the verb's subject reacts to the act and is not its source."""
    cur = noun.head
    for _ in range(8):
        if cur == anchor or cur.head == cur:
            return False
        lemma = cur.lemma_.lower()
        if (
            (cur.dep_ == "prep" and cur.lower_ in _ADJUNCT_PREPS)
            or (cur.pos_ == "NOUN" and lemma in _ADJUNCT_NOUNS)
            or (cur.pos_ == "ADJ" and lemma in _COGNITION_ADJ)
        ):
            return True
        cur = cur.head
    return False


def _meeting_with(frame: Frame) -> bool:
    """A meeting "with" someone, anywhere in the clause, is the subject's own ("X said
    ahead of a meeting with Y", "after talks with Y, X ...")."""
    return frame.match.event_type == "CONSULT" and any(
        r.startswith("target-prep:with ") for r in frame.roles
    )


def _noun_frame(
    noun: Token, anchor: Token | None, match: PatternMatch, pat, index: MentionIndex
) -> Frame:  # noqa: E501
    frame = Frame(trigger=noun, anchor=anchor or noun, match=match, noun=True)
    frame.roles.append(f"noun:{noun.text}")
    # sources: possessor, actor adjectives ("Russian aid", "Sino-Russian cooperation")
    for c in noun.children:
        if c.dep_ == "poss":
            got = index.for_argument(c)
            if got:
                frame.sources += got
                frame.source_tokens.append(c)
                frame.roles.append(f"source-poss:{c.text}")
    if not frame.sources:
        for c in noun.children:
            if c.dep_ in {"amod", "compound", "nmod"} and c.lower_ not in _JOINT:
                got = index.for_argument(c)
                if got:
                    frame.sources += got
                    frame.source_tokens.append(c)
                    frame.roles.append(f"source-mod:{c.text}")
    # participants in "of": "the summit of the four countries"
    if pat.of_role:
        for _, pobj in _prep_objects(noun, frozenset({"of"})):
            got = index.for_argument(pobj)
            if got:
                if pat.of_role == "target":
                    frame.targets += got
                    frame.target_tokens.append(pobj)
                else:
                    frame.sources += got
                    frame.source_tokens.append(pobj)
                frame.roles.append(f"of-{pat.of_role}:{pobj.text}")
    for prep, pobj in _prep_objects(noun, pat.preps or TARGET_PREPS):
        if prep == "of" and pat.of_role:
            continue
        got = index.for_argument(pobj)
        if got:
            frame.targets += got
            frame.target_tokens.append(pobj)
            frame.roles.append(f"target-prep:{prep} {pobj.text}")
    if anchor is not None and not frame.targets:
        for prep, pobj in _prep_objects(anchor, pat.preps or frozenset({"with"})):
            got = index.for_argument(pobj)
            if got:
                frame.targets += got
                frame.target_tokens.append(pobj)
                frame.roles.append(f"target-prep:{prep} {pobj.text}")
    if (
        not frame.sources
        and anchor is not None
        and noun.dep_ not in {"nsubj", "nsubjpass"}
        and (not _in_adjunct(noun, anchor) or _meeting_with(frame))
    ):
        subj, passive = _subject_tokens(anchor)
        if not passive:
            for s in subj:
                if s == noun:
                    continue
                got = index.for_argument(s)
                if got:
                    frame.sources += got
                    frame.source_tokens.append(s)
                    frame.roles.append(f"source-subj:{s.text}")
        else:
            for a in _agent_tokens(anchor):
                frame.sources += index.for_argument(a)
                frame.source_tokens.append(a)
    # the noun's own modifiers name both sides: "Sino-Russian cooperation"
    if frame.sources and not frame.targets and any(c.lower_ in _JOINT for c in noun.children):
        frame.roles.append("mutual-cue")
    return frame
