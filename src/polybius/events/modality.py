"""Modality of an event: asserted, future, intended, hypothetical or negated.

Cues are read from the event's verb and the verbs that govern it through ``xcomp`` ("hopes
to double"), from auxiliaries ("will", "could"), negation ("not", "never"), conditional
clauses ("if", "unless") and from uncertainty around a clausal complement ("it is far from
certain that ..."). Precedence: negated > hypothetical > intended > future > asserted.

Decisions worth knowing (docs/coding.md): a pledge, promise or vow is itself an asserted AGREE
event (the pledge happened); "refuse to" is the REJECT type, not a negation; "will not" is
negated. PLOVER's rule that future or intended cooperative actions are coded AGREE is applied
by ``plover_future_rule``.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Token

__all__ = [
    "ModalityResult",
    "modality_of",
    "plover_future_rule",
    "plover_refusal_rule",
    "COOPERATIVE_TYPES",
    "YIELD_TYPES",
]

#: Types that PLOVER recodes as AGREE when they are only announced or intended.
COOPERATIVE_TYPES = frozenset({"CONSULT", "SUPPORT", "COOPERATE", "AID"})

#: Yielding types: announced or intended, PLOVER codes them AGREE (CAMEO 035 "express intent
#: to yield"); refused, REJECT (CAMEO 124 "refuse to yield").
YIELD_TYPES = frozenset({"CONCEDE", "RETREAT"})

_AGREE_CAMEO = {
    "CONSULT": "036", "SUPPORT": "032", "COOPERATE": "031", "AID": "033",
    "CONCEDE": "035", "RETREAT": "035",
}  # fmt: skip
#: Conflictual types that PLOVER-coded data codes THREATEN when only announced or intended
#: ("will begin an operation against", "would boycott"), with the CAMEO 13x code.
_THREATEN_CAMEO = {
    "ASSAULT": "138", "MOBILIZE": "138", "COERCE": "137", "SANCTION": "131", "PROTEST": "133",
}  # fmt: skip
#: CAMEO 12x code for refusing each kind of act.
_REJECT_CAMEO = {
    "CONSULT": "125", "SUPPORT": "120", "COOPERATE": "121", "AID": "122", "AGREE": "120",
    "CONCEDE": "124", "RETREAT": "124",
}  # fmt: skip

_FUTURE_AUX = {"will", "shall", "'ll", "wo"}
_HYPO_AUX = {"could", "may", "might", "would", "should", "can", "must"}
_INTEND = {
    "hope", "hopes", "hoped", "hoping", "plan", "seek", "intend", "aim", "want", "wish", "try",
    "attempt", "strive", "prepare", "propose", "desire", "look", "mean", "push", "move",
    "willing", "ready", "eager", "determined", "keen", "prepared", "resolved", "offer",
    "desperate", "anxious",
}  # fmt: skip
#: Verbs of demanding: what they ask of another is hypothetical ("demanded that the
#: government remove", "urged Chile to withdraw"); "call" only as "call on/for" (see
#: :func:`_directive`: "called Finland to apologise" is a phone call).
_DIRECTIVES = {"demand", "urge", "ask", "request", "appeal"}
_FUTURE_HEADS = {"set", "due", "scheduled", "expected", "slated", "poised", "about", "going"}
_HYPO_HEADS = {
    "possible", "possibly", "likely", "unlikely", "uncertain", "unclear", "perhaps", "maybe",
    "doubt", "doubtful", "potential", "potentially", "speculate", "speculation", "rumour",
    "rumor", "consider", "considering", "whether", "question", "imagine", "suppose",
    "sceptical", "skeptical", "necessary", "fear", "worry", "worried", "afraid",
}  # fmt: skip
_SURE = {"certain", "clear", "sure", "known", "decided", "settled"}
_DOUBTERS = {"far", "not", "no", "never", "hardly", "less"}
_COND_MARKS = {"if", "unless", "whether", "lest"}
_NEG = {"not", "n't", "never", "no", "neither", "nor", "without"}


@dataclass(frozen=True, slots=True)
class ModalityResult:
    """The modality and the words that decided it (shown by --explain)."""

    modality: str
    cues: tuple[str, ...] = ()
    #: a negated future or "would" ("will not release", "won't meet", "would never accept"):
    #: a refusal, which PLOVER codes as the REJECT type (see ``plover_refusal_rule``)
    refusal: bool = False
    #: an intention or a future under a condition ("is willing to withdraw if ...", "will
    #: attack unless ..."): hypothetical, but an offer or a threat all the same, which PLOVER
    #: codes as AGREE or THREATEN (see ``plover_future_rule``)
    offer: bool = False


def _chain(anchor: Token) -> list[tuple[Token, str]]:
    """The anchor and the verbs above it whose cues it shares, each with the link that led
    to it: through xcomp and adjective complements ("hopes to meet"), a clausal complement
    of a future or intention head, a conjunct that shares the first one's subject and
    auxiliaries ("will meet and discuss"), and a purpose or time clause ("will meet to
    discuss", "will be settled when Norway hosts").

    A conjunct with a subject or an auxiliary of its own is a clause of its own ("Norway
    did not attack Chile, and Peru attacked Finland"): its modality is its own."""
    out = [(anchor, "")]
    cur = anchor
    for _ in range(6):
        dep = cur.dep_
        if dep in {"xcomp", "acomp"} or (
            dep == "ccomp" and cur.head.lemma_.lower() in _FUTURE_HEADS | _INTEND
        ):
            link = dep
        elif dep == "conj" and not _own_clause(cur):
            link = "conj"
        elif dep == "advcl" and _purpose(cur):
            link = "purpose"
        elif dep == "advcl" and _time_clause(cur):
            link = "time"
        else:
            break
        cur = cur.head
        out.append((cur, link))
    return out


def _own_clause(verb: Token) -> bool:
    """Whether a conjunct has its own subject or auxiliary (not the infinitive "to")."""
    return any(
        c.dep_ in {"nsubj", "nsubjpass", "csubj", "expl"}
        or (c.dep_ in {"aux", "auxpass"} and c.lower_ != "to")
        for c in verb.children
    )


def _purpose(verb: Token) -> bool:
    """An infinitive adverbial clause: "(sent envoys) to discuss"."""
    kids = list(verb.children)
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in kids) and not any(
        c.dep_ == "mark" for c in kids
    )


#: Adjectives that give a noun trigger its modality ("the planned summit").
_NOUN_MODIFIERS = {
    "planned": "intended", "upcoming": "future", "future": "future",
    "proposed": "hypothetical", "possible": "hypothetical", "potential": "hypothetical",
}  # fmt: skip

#: Marks of a time clause, whose tense follows the main clause's ("will ... when X hosts").
_TIME_MARKS = {"when", "once", "after", "before", "until", "till"}


def _time_clause(verb: Token) -> bool:
    return any(c.dep_ in {"mark", "advmod"} and c.lower_ in _TIME_MARKS for c in verb.children)


def _ahead_of(noun: Token) -> bool:
    """A noun trigger after "ahead of" ("spoke ahead of a meeting with Chile")."""
    prep = noun.head
    return noun.dep_ == "pobj" and prep.lower_ == "of" and prep.head.lower_ == "ahead"


def _directive(verb: Token) -> bool:
    """A verb of demanding: "urged", "demanded", "called on", "called for"."""
    lemma = verb.lemma_.lower()
    if lemma == "call":
        return any(c.dep_ == "prep" and c.lower_ in {"on", "upon", "for"} for c in verb.children)
    return lemma in _DIRECTIVES


def _cond_mark(tok: Token) -> bool:
    """A mark of a condition: "if", "unless", "whether", "lest", but not the concessive
    "even if" ("even if it criticises Iran": it does)."""
    if tok.dep_ != "mark" or tok.lower_ not in _COND_MARKS:
        return False
    return not (tok.lower_ == "if" and tok.i > 0 and tok.doc[tok.i - 1].lower_ == "even")


#: Verbs whose conditions are their content ("threatened them with death if they left"):
#: the threat or promise itself is not conditional.
_CONTENT_CONDITIONS = {"threaten", "warn", "promise", "vow", "pledge", "offer"}


def _condition(verb: Token) -> str | None:
    """The mark of a conditional clause that governs ``verb`` ("... only if Chile agrees")."""
    if verb.lemma_.lower() in _CONTENT_CONDITIONS:
        return None
    for child in verb.children:
        if child.dep_ == "advcl":
            for mark in child.children:
                if _cond_mark(mark) and mark.lower_ in {"if", "unless"}:
                    return mark.lower_
    return None


def _has_no(tok: Token) -> bool:
    return any(c.lower_ == "no" for c in tok.children)


def _is_future_head(tok: Token) -> bool:
    low = tok.lower_
    if low in _FUTURE_HEADS or tok.lemma_.lower() in _FUTURE_HEADS:
        return low != "set" or any(c.dep_ in {"auxpass", "aux"} for c in tok.children)
    return False


def _doubted(tok: Token) -> bool:
    """'far from certain', 'not clear', 'uncertain'..."""
    if tok.lemma_.lower() in _HYPO_HEADS:
        return True
    if tok.lemma_.lower() in _SURE:
        window = [t.lower_ for t in tok.doc[max(tok.i - 3, tok.sent.start) : tok.i]]
        return any(w in _DOUBTERS for w in window)
    return False


#: Reporting verbs: "would" in their complement is a future in reported speech.
_REPORTING = {
    "say", "announce", "tell", "declare", "state", "pledge", "promise", "vow", "insist",
    "confirm", "add", "decide", "agree", "warn", "threaten", "indicate", "signal",
    "imply", "claim", "reiterate", "predict", "assure", "write",
}  # fmt: skip
#: Nouns of reporting: "would" in a that-clause after them is reported speech too.
_REPORTING_NOUNS = {
    "announcement", "claim", "statement", "promise", "pledge", "assurance", "warning",
    "vow", "prediction", "decision",
}  # fmt: skip
#: Subordinators that present their clause as a fact ("as it retreats", "because it
#: attacked"): the modality of the sentence around does not reach into it.
_FACTIVE_MARKS = {"as", "because", "since", "although", "though", "whereas"}


def _reported(verb: Token) -> bool:
    """Whether ``verb`` heads the complement of a reporting verb (or a conjunct of one:
    "said X was ... and that Y would"), without a condition."""
    top = verb
    while top.dep_ == "conj" and top.head != top:
        top = top.head
    head = top.head.lemma_.lower()
    if not (
        (top.dep_ == "ccomp" and head in _REPORTING)
        or (top.dep_ in {"acl", "ccomp"} and head in _REPORTING_NOUNS)
    ):
        return False
    return not any(
        _condition(v) or any(_cond_mark(c) for c in v.children) for v in (verb, top, top.head)
    )


def modality_of(anchor: Token, trigger: Token | None = None) -> ModalityResult:
    """Decide the modality of the event whose governing verb is ``anchor``."""
    cues: dict[str, list[str]] = {k: [] for k in ("negated", "hypothetical", "intended", "future")}
    links = _chain(anchor)
    chain = [verb for verb, _ in links]
    # above a time clause only the tense carries over: "Norway will not attack when Chile
    # leaves" does not deny the leaving
    only_future = False

    def cue(key: str, word: str) -> None:
        if key == "future" or not only_future:
            cues[key].append(word)

    for i, (verb, link) in enumerate(links):
        only_future = only_future or link == "time"
        for child in verb.children:
            low = child.lower_
            if child.dep_ == "neg" or (child.dep_ == "advmod" and low == "never"):
                cue("negated", low)
            elif child.dep_ == "advmod" and low == "longer" and _has_no(child):
                cue("negated", "no longer")
            elif child.dep_ in {"aux", "auxpass"}:
                if low in _FUTURE_AUX or child.lemma_ == "will":
                    cue("future", low)
                elif low == "would" and _reported(chain[-1]):
                    # "Israel announced it would free ...": future in reported speech
                    cue("future", low)
                elif low in _HYPO_AUX:
                    cue("hypothetical", low)
            elif _cond_mark(child):
                cue("hypothetical", low)
        cond = _condition(verb)
        if cond:
            cue("hypothetical", cond)
        if i > 0 and link != "conj":
            # a governing verb ("hopes to", "is likely to"), not a co-ordinated act
            # ("has planned and directed attacks": the attacks are directed)
            if verb.lower_ in _INTEND or verb.lemma_.lower() in _INTEND:
                # "Norway wants Chile to attack": the wish is not the actor's own
                other = any(c.dep_ in {"nsubj", "nsubjpass"} for c in links[i - 1][0].children)
                cue("hypothetical" if other else "intended", verb.lower_)
            elif _is_future_head(verb):
                cue("future", verb.lower_)
            elif _doubted(verb) or _directive(verb):
                cue("hypothetical", verb.lower_)
        if verb.dep_ == "advcl":
            for child in verb.children:
                if _cond_mark(child):
                    cue("hypothetical", child.lower_)
    if trigger is not None and trigger != anchor:
        # a noun trigger: "no talks", "ahead of a meeting", "the planned summit"
        if _ahead_of(trigger):
            cues["future"].append("ahead of")
        for child in trigger.children:
            if child.dep_ == "det" and child.lower_ == "no":
                cues["negated"].append("no")
            elif child.dep_ == "amod" and child.lower_ in _NOUN_MODIFIERS:
                cues[_NOUN_MODIFIERS[child.lower_]].append(child.lower_)
    # uncertainty or conditions above the clause: "It is far from certain that ..."
    cur = chain[-1]
    for _ in range(0 if only_future else 6):
        # a relative clause states a fact about its noun, whatever the sentence around it
        # says ("... is likely to lose the region, where Finland attacked ...")
        if cur.dep_ in {"ROOT", "relcl"} or cur.head == cur:
            break
        if cur.dep_ == "conj" and _own_clause(cur):
            break
        if cur.dep_ == "advcl" and any(
            c.dep_ == "mark" and c.lower_ in _FACTIVE_MARKS for c in cur.children
        ):
            break
        branch = cur
        cur = cur.head
        if branch.dep_ in {"ccomp", "csubj", "xcomp", "advcl", "conj", "acomp"}:
            if _doubted(cur) or (branch.dep_ in {"ccomp", "xcomp"} and _directive(cur)):
                cues["hypothetical"].append(cur.lower_)
            for child in cur.children:
                if child == branch:
                    continue
                if child.dep_ in {"aux"} and child.lower_ in _HYPO_AUX and branch.dep_ != "conj":
                    cues["hypothetical"].append(child.lower_)
                # doubt words in a sibling ("It is far from certain that ...") concern a
                # complement, not a co-ordinated or adverbial clause ("Speaking after a
                # meeting, he said it was possible ...")
                if branch.dep_ in {"conj", "advcl"}:
                    continue
                for t in child.subtree:
                    if _doubted(t):
                        cues["hypothetical"].append(t.lower_)
                        break
        if branch.dep_ == "advcl":
            for child in branch.children:
                if _cond_mark(child):
                    cues["hypothetical"].append(child.lower_)
    refusal = bool(cues["negated"]) and (
        bool(cues["future"]) or "would" in cues["hypothetical"] or bool(cues["intended"])
    )
    offer = (
        not cues["negated"]
        and bool(cues["hypothetical"])
        and set(cues["hypothetical"]) <= {"if", "unless"}
        and bool(cues["intended"] or cues["future"])
    )
    for key in ("negated", "hypothetical", "intended", "future"):
        if cues[key]:
            return ModalityResult(key, tuple(cues[key]), refusal, offer)
    return ModalityResult("asserted")


def plover_future_rule(
    event_type: str, cameo: str | None, modality: str, *, offer: bool = False
) -> tuple[str, str | None]:
    """PLOVER: cooperative actions in the future or intended are coded AGREE (yielding too:
    CAMEO 035); conflictual ones (assault, coerce, sanction, protest, mobilize) THREATEN.
    So are conditional ones (``offer``, see :class:`ModalityResult`): "is willing to
    withdraw if ..." is an offer, AGREE, though the withdrawal itself is hypothetical.

    Returns the (type, CAMEO code) to use; the caller keeps the original type in the rule.
    """
    if offer:
        modality = "intended"
    if modality in {"future", "intended"} and event_type in COOPERATIVE_TYPES | YIELD_TYPES:
        base = _AGREE_CAMEO[event_type]
        if cameo and event_type == "COOPERATE" and cameo[:3] in {"061", "062", "063", "064"}:
            base = {"061": "0311", "062": "0312", "063": "0313", "064": "0314"}[cameo[:3]]
        if cameo and event_type == "AID" and cameo[:3] in {"071", "072", "073", "074"}:
            base = {"071": "0331", "072": "0332", "073": "0333", "074": "0334"}[cameo[:3]]
        return "AGREE", base
    if modality in {"future", "intended"} and event_type in _THREATEN_CAMEO:
        return "THREATEN", _THREATEN_CAMEO[event_type]
    return event_type, cameo


def plover_refusal_rule(
    event_type: str, cameo: str | None, result: ModalityResult
) -> tuple[str, str | None, str]:
    """A refused cooperative or yielding act ("will not release", "won't meet") is REJECT.

    REJECT is an event type, not a negation: the refusal itself is asserted. Returns the
    (type, CAMEO code, modality) to use; other events are returned unchanged.
    """
    if result.refusal and event_type in _REJECT_CAMEO:
        return "REJECT", _REJECT_CAMEO[event_type], "asserted"
    return event_type, cameo, result.modality
