"""The frames of a plain message to peerlearn: the words that say learning, teaching, or not wanting either, before
the topic ("I would *really like to learn* …", "*happy to help with* …", "*I don't want to learn* …").

Regular expressions over text already unfolded by bot/intent.py (lower-case contractions spelled out: "do not",
"cannot", "i am"). Kept apart from the reading itself so each list can grow without crowding it.
"""

from __future__ import annotations

# Adverbs people put anywhere in a frame: "I would *really* like to learn".
ADV = (
    r"(?:(?:really|also|just|still|definitely|actually|kind of|kinda|sort of|so|badly|totally|quite|pretty|very|"
    r"genuinely|honestly|seriously|finally|now|always|more than|absolutely|happily|gladly) )*"
)
# Prepositions and objects between a frame and its topic: "help me *get started with* docker".
TAIL = (
    r"(?: (?:with|on|in|for|about|at|into|regarding|around|through|me|us|out|how to use|how to|how|to use|using|"
    r"get started with|getting started with|learn|understand|the basics of|more about))*"
)
LEARN_VERB = (
    r"(?:learn(?:ing)?|study|studying|understand|get (?:better|good|started|up to speed|going|familiar|comfortable)"
    r"(?: (?:at|with|in|on))?|improve(?: (?:my|at|in|on))?|pick up|master|know (?:more )?about|dig (?:deeper )?into|"
    r"get into|level up(?: (?:my|on|in|at))?|brush up(?: on)?|practi[cs]e|wrap my head around|figure out|explore|"
    r"grasp|try out|upskill(?: in| on)?|read up on)"
)
SOMEONE = (
    r"(?:any ?one|any ?body|some ?one|some ?body|who|people|folks|colleagues|anyone else|someone else|"
    r"an? (?:expert|mentor|specialist|teacher|tutor|coach)s?)(?: (?:here|around|around here|in here|out there|on "
    r"the team|in the company|in this workspace|else))?(?: (?:who|that))?"
)
TEACH_VERB = (
    r"(?:teach(?:ing)?|mentor(?:ing)?|coach(?:ing)?|tutor(?:ing)?|train(?:ing)? (?:people|others|folks|anyone)|"
    r"explain|introduce (?:people|others|folks|anyone) to|share (?:my (?:knowledge|experience|expertise)(?: (?:of|in|"
    r"on|with|about))?|what i know(?: (?:about|of|on))?)|(?:run|give|host|lead|do|hold|organi[sz]e) (?:a |an |some )?"
    r"(?:(?:short|quick|small|little|free) )?(?:session|workshop|class|course|talk|intro(?:duction)?|demo|lesson|"
    r"overview|lunch[- ]and[- ]learn|brown bag|crash course|tutorial)s? (?:on|about|of|in|to|for)|show (?:people|"
    r"others|folks|anyone|you|colleagues|someone|somebody|newcomers)(?: how to use| how| around)?|pair (?:with "
    r"(?:people|others|anyone|you|someone) )?on|help(?: out)?(?: (?:people|others|folks|anyone|anybody|you|"
    r"colleagues|newcomers|somebody|someone|beginners))?|answer (?:any )?questions (?:on|about)|onboard (?:people|"
    r"others|folks|anyone|you) (?:on|to|in|with))"
)

LEARN_FRAMES = [
    # I want to learn X · I would love to get better at X · we need to understand X · I have to learn X
    rf"\b(?:(?:i|we) )?(?:would |will )?{ADV}(?:like|love|want|need|hope|plan|wish|intend|have|got|am going|"
    rf"am trying|am looking|am hoping|am keen|am eager|am planning|am aiming|am dying|am excited|would like)"
    rf"(?: to)? {ADV}{LEARN_VERB}",
    # I am interested in X · I am new to X · I am struggling with SQL joins
    rf"\b(?:i am|we are) {ADV}(?:interested|curious|keen|eager|excited|new|a beginner|a newbie|a novice|struggling|"
    rf"stuck|lost|confused|having (?:trouble|a hard time|issues|problems)|trying to learn|learning)(?: (?:in|about|to|"
    rf"with|at|on))?(?: learning| getting into| studying)?",
    # I wish I knew more about X · I do not know anything about X · I know nothing about X
    r"\b(?:i wish (?:i|we) (?:knew|understood|could do|was better at)(?: (?:more|anything))?(?: about)?|"
    r"(?:i|we) do not (?:really )?(?:know|understand|get)(?: (?:anything|much|a thing|enough))?(?: about)?|"
    r"(?:i|we) (?:know|understand) (?:nothing|very little|little|almost nothing) about)",
    # I need help with X · would love some guidance on X · need a mentor for X
    rf"\b(?:(?:i|we) )?(?:would |could |can )?{ADV}(?:like|love|want|need|use|appreciate|am looking for|am after|"
    rf"looking for|seeking|searching for|after)(?: some| a bit of| a little| any)? (?:help|advice|guidance|tips|"
    rf"pointers|support|mentoring|mentorship|coaching|an? (?:mentor|tutor|teacher|coach|expert|intro(?:duction)?|"
    rf"buddy|crash course)|someone|somebody|people|a colleague)(?: (?:to|who|that) (?:can |could |would )?"
    rf"(?:teach|help|show|mentor|coach|pair|guide|explain)(?: with)?| who knows| learning)?{TAIL}",
    # who knows X · does anyone know X · anyone familiar with X · is there someone who can teach me X
    rf"\b(?:(?:is|are) there )?(?:(?:does|do|can|could|would|will|is|are) )?{SOMEONE} {ADV}(?:(?:can|could|would|"
    rf"will|wants? to|is willing to|is able to|is happy to|has time to) (?:please )?(?:teach|help|show|explain|mentor|"
    rf"coach|walk|guide|tutor)|knows?|understands?|teach(?:es)?|(?:is|are) (?:good|great|strong|an expert|"
    rf"experts?|experienced|familiar|fluent|comfortable|proficient|skilled|into|knowledgeable)|good|familiar|"
    rf"experienced|experts?|fluent|skilled|into|using|uses|(?:has|have) (?:experience|used|worked|done))"
    rf"(?: (?:a lot|much|anything|their way))?{TAIL}",
    # any experts on Kafka?
    r"\b(?:any|got any) (?:experts?|mentors?|teachers?|specialists?|gurus?|pros?)(?: (?:on|in|for|about|with|"
    r"regarding|at))?",
    # teach me X · can you show me how to use X · help me get started with X
    rf"\b(?:(?:can|could|would|will) (?:you|someone|somebody|anyone|anybody|any one|some one) (?:please )?)?"
    rf"(?:teach|show|help|mentor|coach|tutor|train|walk|guide|explain(?: to)?|introduce) (?:me|us){TAIL}",
    r"\b(?:can|could|would|will) (?:you|someone|somebody|anyone|anybody) (?:please )?explain",
    r"^(?:learn(?:ing)?|study(?:ing)?|intro(?:duction)? to|beginner|basics)\b(?: (?:about|how to use|how to|"
    r"more about|of))?",
    r"\b(?:can|could|may) (?:i|we) (?:get|have|find) (?:some |a bit of )?(?:help|advice|guidance|tips|a mentor)"
    rf"{TAIL}",
]
# Questions that may be about a topic or about anything at all ("how do we deploy to production", "what is the wifi
# password"): learning only when the words name a topic someone knows; otherwise the person is asked.
QUESTION_FRAMES = [
    # how do I use X · where do I start with X · what is X · any tips on X
    r"\bhow (?:do|can|should|would|does one|to) (?:i |we |you |one )?(?:learn |get started with |start with |"
    r"get into |get better at |use |work with )?",
    r"\bwhere (?:do|can|should) (?:i|we) (?:start|begin|learn|go to learn)(?: (?:with|about|learning))?",
    r"^(?:what is|what are|explain)(?: (?:a|an|the))?\b",
    r"\b(?:any|got any) (?:tips|advice|pointers|resources|recommendations|ideas)(?: (?:on|in|for|about|with|"
    r"regarding|at))?|\b(?:tips|advice|resources|pointers) (?:on|for|about)",
]
# Not wanting, or not able: "I don't want to learn Java", "I can't teach Python", "not interested in golf". "I do not
# know X" is no refusal but a learner's ask (LEARN_FRAMES), so knowing and understanding are left out here.
_NOT = (
    r"(?:do not|does not|did not|would not|will not|cannot|could not|should not|am not|are not|never|no longer|"
    r"would rather not|would prefer not to|have no (?:interest|time|desire|wish|plans?|need))"
)
NEGATED_FRAMES = [
    rf"\b(?:i|we) {ADV}{_NOT} (?!(?:really )?(?:know|understand|get)\b){ADV}(?:(?:want|like|need|wish|plan|intend|care|"
    rf"have time|feel like|have to|going|able|willing|happy|glad|keen|interested|looking|trying|planning)(?: to| in| "
    rf"about| for)? ?{ADV})?(?:{LEARN_VERB}|{TEACH_VERB}|help|about|in|to|for)?{TAIL}",
    rf"^(?:not|never|no longer) {ADV}(?:interested|keen|looking|going|planning|able|willing|happy)(?: to| in)?"
    rf"(?: {LEARN_VERB}| {TEACH_VERB})?{TAIL}",
    rf"^no (?:need|interest|time|plans?) (?:to|in|for)(?: {LEARN_VERB}| {TEACH_VERB})?{TAIL}",
]
TEACH_FRAMES = [
    # I can teach X · I would be glad to run a session on Git · we are happy to help with X · I teach X
    rf"\b(?:i|we) (?:would |will )?(?:be )?{ADV}(?:(?:can|could|may|might|will|would) {ADV}|(?:(?:am|are) {ADV})?"
    rf"(?:happy|glad|keen|willing|able|eager|excited|available|open|up for it|pleased|delighted) to {ADV}|"
    rf"(?:love|like|want|offer|volunteer|plan|intend|am offering|am volunteering) to {ADV})?{TEACH_VERB}{TAIL}",
    # happy to help with React · can help with Kotlin · willing to coach on public speaking
    rf"^(?:(?:always |more than |very |really )?(?:happy|glad|keen|willing|available|able|open|ready|delighted) to|"
    rf"can|could|will|would love to) {ADV}{TEACH_VERB}{TAIL}",
    rf"^(?:teach(?:ing)?|mentoring|coaching|offering|offer|i offer)\b{TAIL}",
    # ask me about AWS · count me in as a teacher for Excel
    r"\b(?:ask|ping|dm|message) me(?: anything)?(?: (?:about|on|re|regarding|for|if you need help with))",
    r"\bcount me in(?: as (?:a |an )?(?:teacher|mentor|tutor|coach|expert))?(?: (?:for|on|with))?",
    # I am an expert in X · I am pretty good at Python · I am fluent in Spanish
    rf"\b(?:i am|we are) {ADV}(?:an? )?(?:(?:expert|pro|specialist|guru|ninja|wizard|veteran|professional|"
    rf"(?:senior|lead|certified|experienced|qualified|trained) \w+)|good|great|strong|experienced|fluent|proficient|"
    rf"skilled|decent|confident|comfortable|competent|handy|solid|well[- ]versed|knowledgeable|certified) "
    rf"(?:at|in|with|on|about)",
    # I have ten years of experience with Java · I have been using X for years
    r"\b(?:i|we) have (?:got )?(?:\w+ |a few |many |several |lots of )?(?:years?|decades?) (?:of )?(?:experience|exp)"
    r"(?: (?:with|in|on|doing|using|of))?",
    r"\b(?:i|we) have (?:been )?(?:using|doing|working with|working on|writing|coding in|programming in|teaching|"
    r"running|practi[cs]ing|speaking)",
    # I know Terraform inside out · I know a lot about X
    r"^(?:i|we) (?:know|understand)(?: (?:a lot|a ton|a bit|plenty|lots|quite a bit|loads|heaps|a great deal|"
    r"a fair bit|something) about)?\b",
]
