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
}  # fmt: skip
_FUTURE_HEADS = {"set", "due", "scheduled", "expected", "slated", "poised", "about", "going"}
_HYPO_HEADS = {
    "possible", "possibly", "likely", "unlikely", "uncertain", "unclear", "perhaps", "maybe",
    "doubt", "doubtful", "potential", "potentially", "speculate", "speculation", "rumour",
    "rumor", "consider", "considering", "whether", "question", "imagine", "suppose",
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


def _chain(anchor: Token) -> list[Token]:
    """The anchor and the verbs above it through xcomp/conj (and adjective complements)."""
    out = [anchor]
    cur = anchor
    for _ in range(6):
        if cur.dep_ in {"xcomp", "conj", "acomp"} or (
            cur.dep_ == "ccomp" and cur.head.lemma_.lower() in _FUTURE_HEADS | _INTEND
        ):
            cur = cur.head
            out.append(cur)
        else:
            break
    return out


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
}  # fmt: skip


def _reported(verb: Token) -> bool:
    """Whether ``verb`` heads the complement of a reporting verb, without a condition."""
    if verb.dep_ != "ccomp" or verb.head.lemma_.lower() not in _REPORTING:
        return False
    return not any(c.dep_ in {"mark", "advcl"} and c.lower_ in _COND_MARKS for c in verb.children)


def modality_of(anchor: Token, trigger: Token | None = None) -> ModalityResult:
    """Decide the modality of the event whose governing verb is ``anchor``."""
    cues: dict[str, list[str]] = {k: [] for k in ("negated", "hypothetical", "intended", "future")}
    chain = _chain(anchor)
    for i, verb in enumerate(chain):
        for child in verb.children:
            low = child.lower_
            if child.dep_ == "neg" or (child.dep_ == "advmod" and low == "never"):
                cues["negated"].append(low)
            elif child.dep_ in {"aux", "auxpass"}:
                if low in _FUTURE_AUX or child.lemma_ == "will":
                    cues["future"].append(low)
                elif low == "would" and _reported(chain[-1]):
                    # "Israel announced it would free ...": future in reported speech
                    cues["future"].append(low)
                elif low in _HYPO_AUX:
                    cues["hypothetical"].append(low)
            elif child.dep_ == "mark" and low in _COND_MARKS:
                cues["hypothetical"].append(low)
        if i > 0:
            if verb.lower_ in _INTEND or verb.lemma_.lower() in _INTEND:
                cues["intended"].append(verb.lower_)
            elif _is_future_head(verb):
                cues["future"].append(verb.lower_)
        if verb.dep_ == "advcl":
            for child in verb.children:
                if child.dep_ == "mark" and child.lower_ in _COND_MARKS:
                    cues["hypothetical"].append(child.lower_)
    if trigger is not None and trigger != anchor:
        for child in trigger.children:
            if child.dep_ == "det" and child.lower_ == "no":
                cues["negated"].append("no")
            if child.dep_ == "amod" and child.lower_ in {
                "planned",
                "proposed",
                "possible",
                "future",
                "upcoming",
                "potential",
            }:  # noqa: E501
                key = (
                    "future"
                    if child.lower_ in {"planned", "upcoming", "future"}
                    else "hypothetical"
                )  # noqa: E501
                cues[key].append(child.lower_)
    # uncertainty or conditions above the clause: "It is far from certain that ..."
    cur = chain[-1]
    for _ in range(6):
        if cur.dep_ in {"ROOT"} or cur.head == cur:
            break
        branch = cur
        cur = cur.head
        if branch.dep_ in {"ccomp", "csubj", "xcomp", "advcl", "conj", "acomp"}:
            if _doubted(cur):
                cues["hypothetical"].append(cur.lower_)
            for child in cur.children:
                if child == branch:
                    continue
                if child.dep_ in {"aux"} and child.lower_ in _HYPO_AUX and branch.dep_ != "conj":
                    cues["hypothetical"].append(child.lower_)
                if branch.dep_ == "conj":
                    continue
                for t in child.subtree:
                    if _doubted(t):
                        cues["hypothetical"].append(t.lower_)
                        break
        if branch.dep_ == "advcl":
            for child in branch.children:
                if child.dep_ == "mark" and child.lower_ in _COND_MARKS:
                    cues["hypothetical"].append(child.lower_)
    refusal = bool(cues["negated"]) and (
        bool(cues["future"]) or "would" in cues["hypothetical"] or bool(cues["intended"])
    )
    for key in ("negated", "hypothetical", "intended", "future"):
        if cues[key]:
            return ModalityResult(key, tuple(cues[key]), refusal)
    return ModalityResult("asserted")


def plover_future_rule(event_type: str, cameo: str | None, modality: str) -> tuple[str, str | None]:
    """PLOVER: cooperative actions in the future or intended are coded AGREE (yielding too:
    CAMEO 035); conflictual ones (assault, coerce, sanction, protest, mobilize) THREATEN.

    Returns the (type, CAMEO code) to use; the caller keeps the original type in the rule.
    """
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
