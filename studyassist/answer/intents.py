"""What kind of answer a question asks for: its intent, read from its wording."""
from __future__ import annotations

import re

from studyassist.text import normalize

# "why isn't / wouldn't / didn't …": what follows says what falls short
_WHY_NOT = r"\bwhy (isn'?t|is not|aren'?t|are not|wasn'?t|wouldn'?t|won'?t|doesn'?t|does not|didn'?t) [^?]{1,80}?"
# "Why isn't Contributor enough?", "why wouldn't that cover reading the blobs?": a belief the asker holds, which a
# listed mistake answers better than the row it falls short of
_BELIEF = re.compile(_WHY_NOT + r"\b(enough|sufficient|cover|covers)\b", re.I)

# Order matters: the first pattern that matches decides the intent.
_INTENTS: list[tuple[str, re.Pattern[str]]] = [
    # asks to judge a practice the learner describes ("is that a bad idea?", "shouldn't Contributor be enough?",
    # "why would the exam consider that a problem?"); "why is that a bad idea?" takes the verdict as given and asks
    # for the reason (a "why" question)
    ("verdict", re.compile(r"(?<!why )(?<!circumstances )(?<!conditions )\b(is|isn'?t|was|would|wouldn'?t) "
                           r"(that|this|it|doing (that|this)) "
                           r"(really |actually |just |even |still )?(a (bad|good|terrible|reasonable|sensible|valid) "
                           r"(idea|move|plan|approach|practice|way)|bad|fine|ok|okay|enough|sufficient|acceptable|wrong|"
                           r"reasonable|sensible|"
                           r"a problem|a mistake|an anti-?pattern|risky|safe|the right (move|call|thing|approach|way)|"
                           r"good practice|best practice)\b|"
                           r"\bshouldn'?t (that|this|it|\w+) be (enough|fine|ok|okay|sufficient)\b|"
                           # "so should we just retrain whenever drift fires?": a shortcut put up for judgement
                           r"(^|[.!?,;]\s*)(so |and |then |ok |okay |but )?(should|can|could|can'?t|couldn'?t|"
                           r"shouldn'?t) (we|i) (just|simply)\b|"
                           # "and when a drift alert fires, do we retrain right away?": what to do, put up for judgement
                           r"^\s*(and |so |then |but )?(when|if|once) [^?,]{3,80}, (do|should|can|must) (we|i)\b|"
                           r"\bwhy would (the exam|anyone|that|this|it)\b[^?]*\b(problem|wrong|bad|otherwise|"
                           r"mistake|issue)|"
                           r"\b(consider|call|count|see) (that|this|it) (as )?(a |an )?(problem|mistake|wrong|bad|"
                           r"issue|anti-?pattern)\b|"
                           r"\bwhat'?s the (problem|harm|issue|risk) (with|in)\b|"
                           # "can I use local SSD to store data …?", "is Bigtable a good choice for 500 GB?"
                           r"^\s*(can|could|should|may) (i|we) (use|store|keep|put|run)\b[^?]{3,80}\?\s*$|"
                           r"^\s*is [\w /.-]{2,40} a (good|bad|sensible|reasonable|wise) (choice|fit|option|idea)\b|"
                           r"\b(anything|something) wrong (with|about|in)\b|\bis there (anything|something) wrong\b|"
                           r"\bany (problems?|issues?|risks?|downsides?|harm|catch) (with|in|if)\b|"
                           r"\b(is|isn'?t|was) (it|that|this|\w+ing\b[^?.]{0,60}?) (really |actually )?(that|so) "
                           r"(bad|risky|dangerous|wrong|insecure)\b|"
                           r"\b(treat|treats|treated|regard|regards|regarded|considers?|considered|counts?|counted|"
                           r"sees?|seen) as (a |an )?(problem|mistake|wrong|bad|issue|anti-?pattern|trap|red flag)\b|"
                           r"\bis it (really |even )?worth (it|the (effort|trouble|hassle))\b|"
                           # a belief put up for judgement: "isn't the overall accuracy good enough?", "didn't
                           # registering it make it available?", "does that prove the model is fine?", "… or am I
                           # skipping something?", "is a notebook OK for production?"
                           r"\bisn'?t (the |a |an |our |my |their )?[\w -]{1,40}? good enough\b|"
                           r"\bdidn'?t [^?,]{1,60}? (make|put|give) (it|that|this|them)\b|"
                           r"\b(does|doesn'?t|would|wouldn'?t) (that|this|it) (basically |really |actually |just )?"
                           r"(prove|guarantee)\b|"
                           r"\bor am i (skipping|missing|forgetting|overlooking) (something|anything)\b|"
                           r"\b(ok|okay|fine|good enough) (for|in) production\b")),
    # "why isn't a private endpoint enough by itself?" asks what more it needs, not why another choice wins (nor does
    # "why wouldn't Owner cover reading the blobs?")
    ("why", re.compile(_WHY_NOT + r"\b(enough|sufficient|by itself|on its own|covers?)\b")),
    ("why_not", re.compile(r"\bwhy (not|wouldn'?t|shouldn'?t|isn'?t|is it not)\b|\bwhat'?s wrong with\b")),
    ("versus", re.compile(r"^(please )?compare\b|\btell \w+ apart\b|"
                          r"\b(vs\.?|versus|compared? (to|with)|difference between|differ(s|ence)?|distinguish|"
                          r"(is|are) \w+( \w+){0,3} different from|how (is|are) (\w+ ){1,6}different|"
                          r"(are|is) (they|these|those|the two|both) (really )?different|sets? them apart|"
                          r"(the )?same (thing )?as)\b|\b(is|are|isn'?t|aren'?t) (they|these|those|the two|both|it|"
                          r"this|that) (really |just |basically |actually )?(the same|one and the same)"
                          r"( thing)?\s*\?")),
    ("check_first", re.compile(r"\b((check|look at|inspect|examine|verify|do) (\w+ ){0,3}first|first (thing|step)|"
                               r"troubleshoot\w*|investigate|diagnos\w*|root cause|start with)\b")),
    ("capture", re.compile(r"\b(capture|record|what (should|must|do i|to) (be )?(version|verify|track|pin|log)\w*|"
                           r"what to verify|verify)\b")),
    # ("When new data lands in the store, should a function or the CI/CD pipeline start it?" sets a scene: no "when")
    ("when", re.compile(r"^\s*(and )?when\b(?=[^,.;]*\?)|\bwhen (should|would|do|does|is|are|to|would)\b|"
                        r"\bin which (case|situation)|\bunder what (circumstances|conditions)\b")),
    ("why", re.compile(r"^\s*(and )?why\b|\b(expand on|explain|say more about) why\b")),  # ("… Can you expand on why?")
    ("how", re.compile(r"\bhow (exactly |actually |else |best )?(do|can|should|would|could|might) (i|we|you|one)\b|"
                       r"\bhow to\b|\bis there a way\b|"
                       r"\bwhat'?s (the|a|an) ([a-z]+ )?way (to|of|for)\b|"
                       r"\bwhat'?s the (best |right |usual |recommended )?way\b|\bhow\s*\?\s*$")),
    ("define", re.compile(r"^\s*(so |ok |okay )?(what (exactly |actually |really )?(is|are|does)|define|explain|"
                          r"meaning of|what's)\b|"
                          # "Hyperparameter sweep: purpose of early termination?", "What goes into a build project?"
                          r"(?<!for the )\b(purpose|intended use|meaning|definition) of\b|\bwhat purpose does\b|"
                          r"\bwhat (part|role) (does|do) [^?]{1,60}? (play|fill|serve)\b|"
                          r"\bwhat (exactly |actually )?(goes|go) into\b|\bwhat makes up\b|"
                          # after a scenario: "… keeps hearing the term shadow testing. What does it mean?"
                          r"(^|[.!?]\s+)what (does|do) (the term |the word )?[^?.]{1,60}? (really |actually )?mean\b|"
                          r":\s*(intended use|purpose|meaning|definition|what is it( for)?|what does it do)\s*\?\s*$")),
]
_NEGATIVE = re.compile(r"\b(wrong|bad|poor|not|avoid|shouldn'?t|never|inappropriate|unsuitable)\b")


def detect_intent(question: str) -> tuple[str, bool]:
    """The kind of question (which / when / versus / why / why_not / check_first / capture / how / define)
    and whether it is asked in the negative ("when is X the wrong choice")."""
    q = normalize(question)
    name = next((name for name, pattern in _INTENTS if pattern.search(q)), "which")
    return name, name == "when" and bool(_NEGATIVE.search(q))


def challenges(question: str) -> bool:
    """Whether a "why" question asks why something the asker believes falls short."""
    return bool(_BELIEF.search(question))
