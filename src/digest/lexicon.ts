// Lexicon: the digest's word lists, each once, named for what it is for. The stages build their
// patterns from these lists (see `alternation`) instead of writing words inline, so a word added
// here reaches every rule that reads the same kind of word.
// Lists are lower-case unless they say otherwise; multi-word entries are phrases matched as written.

/** Splits a space-separated list (entries joined by "_" keep their space: "in_addition"). */
const list = (s: string): readonly string[] => s.split(" ").map((w) => w.replace(/_/g, " "));

/**
 * A regex alternation of words or phrases (no group, no anchors): longest entries first, so a
 * phrase is tried before a word it starts with; `shape` turns each escaped entry into its pattern.
 * @example alternation(["in", "in turn"]) // "in turn|in"
 */
export function alternation(words: readonly string[], shape: (escaped: string) => string = (w) => w): string {
  return [...new Set(words)]
    .sort((a, b) => b.length - a.length || (a < b ? -1 : a > b ? 1 : 0))
    .map((w) => shape(w.replace(/[.*+?^${}()|[\]\\]/g, String.raw`\$&`)))
    .join("|");
}

// ---------- Pronouns and determiners ----------

/** Third-person pronouns that can be a sentence's subject and stand for someone named before. */
export const SUBJECT_PRONOUNS = list("he she it they");
/** First- and second-person subject pronouns: a speaker named only by one is not named. */
export const SPEAKER_PRONOUNS = list("i we you");
/** Object pronouns that stand for someone named before. */
export const OBJECT_PRONOUNS = list("him them");
/** Possessive determiners and pronouns that stand for someone named before. */
export const POSSESSIVES = list("his her its their theirs");
/** Demonstratives ("this", "those"): they point back at something said before. */
export const DEMONSTRATIVES = list("this that these those");
/** Phrases that refer back to two or more things named before. */
export const BACK_REFERENCES = list("such both the_latter the_former the_two");
/** Words that start a noun phrase ("the", "his", "every"): a cut after one leaves it without its noun. */
export const DETERMINERS = list("a an the his her its their our my your this that these those some every each no");

// ---------- Connectives ----------

/**
 * Connectives that tie a sentence to the one before it ("But", "However", "As a result"): a
 * sentence opening on one leans on its predecessor.
 */
export const CONNECTIVES = list(
  "but and or so yet also however meanwhile still then instead moreover furthermore besides nevertheless nonetheless " +
    "otherwise thus hence therefore additionally in_addition in_turn by_contrast even_so as_a_result",
);
/** Connectives set off by commas after a short opener ("By 1942, however, ..."). */
export const MID_CONNECTIVES = list(
  "however though meanwhile instead nevertheless nonetheless moreover furthermore too then in_turn by_contrast",
);
/**
 * Openers that often lean on what came before without being a connective or a pronoun ("There
 * were ...", "Which ...", "Now ...", "Though ..."): a summary sentence opening on one is penalised.
 */
export const WEAK_OPENERS = list("there which here now though although");
/** Finite auxiliaries: after "that" they open a clause ("that will ..."), not a noun phrase. */
export const FINITE_AUXILIARIES = list("is are was were has have had will would can could may might");
/** Verbs after which "this" or "that" stands for a noun ("This is ...", "That meant ..."), not a determiner. */
export const DEMONSTRATIVE_VERBS = [...FINITE_AUXILIARIES, ...list("comes came means meant")];

// ---------- Speech ----------

/** Verbs of saying that name who spoke when they follow a quotation ("... ," said the mayor). */
export const SAYING_VERBS = list(
  "said says added adds explained explains insisted admitted noted stated warned argued claimed recalled replied wrote " +
    "writes declared announced told asked asks tells continued",
);
/** Verbs of saying after a pronoun that make a sentence lean on its predecessor ("He said ..."). */
export const PRONOUN_SAID_VERBS = list("said says added told explained continued");
/**
 * Verbs of saying, naming or titling after which a quotation continues the sentence ("said 'We
 * ...'", "titled 'The ...'"): a quotation after one is not a glued caption.
 */
export const QUOTE_INTRO_VERBS = list(
  "said says say told tells added adds asked asks saying wrote writes tweeted posted insisted explained claimed admitted " +
    "replied stated declared warned joked shouted screamed whispered called titled read reads named dubbed labelled labeled",
);
/** Reporting verbs of a headline's "X said that Y" shape (past and present). */
export const REPORTING_VERBS = list(
  "said says revealed reveals warned warns claimed claims admitted admits insisted insists announced announces confirmed " +
    "confirms believes thinks alleges alleged argued argues stated reported",
);
/** Verbs of thinking and asking that take a clause ("thought the penalty was ..."). */
export const THINKING_VERBS = list(
  "think thinks thought believe believes believed know knows knew fear fears feared hope hopes hoped ask asked realize realized realise realised",
);
/** Reporting and stance verbs a cut headline must not end on: they need the claim that follows. */
export const CLAIM_VERBS = list(
  "said says told saying telling admits admitted claims claimed reveals revealed warns warned insists insisted announced " +
    "confirmed denied believes thinks knows hopes urged reminded alleges alleged",
);

// ---------- Function words ----------

/** Prepositions, including the multi-letter ones headlines cut before. */
export const PREPOSITIONS = list(
  "of to in on at for with by from as into onto about over under against during without within through across toward " +
    "towards near including via per between among amongst beyond around behind beside besides upon throughout alongside " +
    "inside outside like unlike versus after before amid despite since until",
);
/** Conjunctions and subordinators. */
export const CONJUNCTIONS = list("and or but nor than while when where if because though although");
/** Relative and interrogative pronouns. */
export const RELATIVES = list("that which who whom whose what");
/** Auxiliary and copular verbs. */
export const AUXILIARIES = list("is are was were be been being has have had do does did will would shall should can could may might must");
/** Numbers written as words. */
export const NUMBER_WORDS = list(
  "one two three four five six seven eight nine ten eleven twelve twenty thirty forty fifty hundred thousand million billion",
);

/**
 * Words a headline may not end on: a function word, a pronoun, a number word, a reporting verb
 * or an adverb that needs what follows ("not", "very", "just").
 */
export const HEADLINE_DANGLING_END = [
  ...list("a an the and or but nor of to in on at for with by from as into onto about over under against during without"),
  ...list("within through across toward towards near including via per that which who whom whose what than its their his"),
  ...list("her our my your this these those it he she they we him them us is are was were be been being has have had do"),
  ...list("does did will would shall should can could may might must after before amid since while when where if because"),
  ...list("though although despite until then not no very most more such thanks just only even so dozen dozens"),
  ...NUMBER_WORDS,
  ...CLAIM_VERBS,
  ...list("seem seems seemed appear appears appeared become becomes became remain remains remained already still also"),
];
/** Words a cut headline's trailing filler is dropped on (the last word only, after clause trimming). */
export const HEADLINE_TRAILING_FILLER = list(
  "a an the and or but of to in on at for with by from as that which who whose than its their his her is are was were " +
    "be has have had will would after before amid over since while when into about said says then",
);
/** Function words: a word after one does not start a new noun phrase a cut could split. */
export const FUNCTION_WORDS = list(
  "a an the and or but nor of to in on at for with by from as into onto about over under that which who whom whose than " +
    "is are was were be been has have had will would can could may might should after before amid despite since while " +
    "when where if because though although until during against without within through across including near between " +
    "among amongst beyond around behind beside besides upon toward towards throughout alongside inside outside via per " +
    "like unlike versus says said",
);

// ---------- Headline shapes ----------

/** Adjectives that, like a superlative, need the phrase after them ("the first talks since ..."). */
export const SCOPE_ADJECTIVES = list("first last only most least best worst next top");
/** Words ending in "est" that are not superlatives. */
export const EST_WORDS = list(
  "interest protest arrest request contest test rest west forest guest chest honest modest suggest harvest invest quest " +
    "crest nest pest vest zest manifest conquest inquest digest unrest priest attest behest bequest midwest northwest " +
    "southwest interests protests arrests requests contests tests",
);
/** Irregular past tenses, the verbs of most news leads that do not end in "ed". */
export const IRREGULAR_PAST = list(
  "said spoke met won took made went came gave found held led left lost hit ran saw told sent shot struck fell rose began " +
    "brought bought built caught chose drew drove ate fought flew froze got grew heard hid kept knew laid lay meant paid put " +
    "quit rode rang sang sank sat slept sold sought spent spread stood stole swore swept swam threw taught tore understood " +
    "woke wore wrote withdrew overtook upheld undertook beat bit blew broke cast cost cut dealt dug fed felt fled forgave " +
    "hung hurt let lit shut slid stuck strove thought wept wound set shed sped slew sprang stank swung became overcame " +
    "foresaw mistook oversaw overthrew underwent withheld forbade arose awoke bore",
);
/** Common verbs in their plain present form ("pilots learn", "experts say"): a verb when no "to" or determiner comes before. */
export const PRESENT_VERBS = list(
  "say learn lend want need plan face hope fear expect believe think know remain seem appear show suggest find make take " +
    "give get go come see use work help call ask tell try keep continue begin lead hold run meet pay win lose allow agree " +
    "urge warn claim deny accuse support oppose reject accept vote launch seek plead die live stay return leave move rise fall",
);
/** Words after which a plain verb is a present tense: a plural pronoun or an adverb ("they say", "now think"). */
export const PRESENT_TENSE_CUES = list("they we i you now still also often never always just really");
/** Particles that complete a verb ("up", "out"): a cut right after one leaves its phrase open. */
export const PARTICLES = list("up down out off away back");
/** Words after which a word ending in "s" is a verb ("wants to", "faces the"), not a plural noun. */
export const AFTER_PRESENT_VERB = list(
  "to a an the his her their its that this these those no himself herself itself themselves only also still never always just",
);
/** Words that open a clause a headline may be cut before (the words stay out of the headline). */
export const CLAUSE_OPENERS = list(
  "who which whose after following as when while amid because despite but and telling saying according in_what since " +
    "with before prompting leaving sparking forcing claiming insisting so until where even_though although though if " +
    "to_ensure in_order",
);
/** Openers of a subordinate clause: a headline candidate opening on one does not say who did what. */
export const SUBORDINATORS = list(
  "according_to although though while when whenever if unless because since as after before despite even_though once until",
);
/** Titles of office before a name ("Secretary of State Antony Blinken"); capitalised as written. */
export const ROLE_TITLES = list(
  "Secretary Minister President Premier Chancellor Governor Senator Spokesman Spokeswoman Spokesperson Chief Director " +
    "Ambassador Leader Mayor Chairman Chairwoman Chair CEO Commissioner Coach Manager Captain Judge Representative " +
    "Congressman Congresswoman",
);
/** Words that open a scene-setting phrase before a sentence's clause ("In many ways, ", "Earlier this week, "). */
export const SCENE_OPENERS = list(
  "in on at with after before despite for during even still already meanwhile earlier later now so_far once until since " +
    "by under amid following as_of last this next",
);
/** Days of the week. */
export const WEEKDAYS = list("monday tuesday wednesday thursday friday saturday sunday");
/** Months, in full. */
export const MONTHS = list("january february march april may june july august september october november december");
/** Words that name the day relative to now. */
export const RELATIVE_DAYS = list("yesterday today");
/** Periods named relative to now ("last month"). */
export const PERIODS = list("week weekend month year");
/** Parts of a day after a weekday ("Friday night"). */
export const DAY_PARTS = list("morning afternoon evening night");

// ---------- Sentence splitting ----------

/** Abbreviations after which a period never ends a sentence (titles before names, street words). */
export const TITLE_ABBREVIATIONS = list(
  "mr mrs ms messrs mme mlle dr prof sr jr st gen gov sen rep lt col capt sgt maj adm rev hon pres supt det insp cpl pvt " +
    "cmdr cdr brig fr sec atty amb gens reps sens mt ft ave blvd rd",
);
/** Month abbreviations. */
export const MONTH_ABBREVIATIONS = list("jan feb mar apr jun jul aug sep sept oct nov dec");
/** Abbreviations that do not end a sentence when a number follows ("No. 10", "p. 4"), besides months. */
export const NUMBER_ABBREVIATIONS = list("no nos art p pp vol fig ch sec op para");
/** Abbreviations that usually continue the sentence unless a typical sentence opener follows, besides months. */
export const SOFT_ABBREVIATIONS = list("inc corp ltd co bros vs v approx dept est al e.g i.e cf ca univ assn");
/** Capitalised words that typically open a sentence; after an acronym like "U.S." they mark a boundary. */
export const SENTENCE_OPENERS = list(
  "The A An He She It They We I You His Her Its Their Our This That These Those There But And So Yet Still However In " +
    "On At For After Before When While If As Some Many Most Officials Police Now Then Meanwhile Last Earlier Later One " +
    "Two What Why How Who",
);
/** Capitalised words that, right after a lower-case word with no punctuation, mark a glued caption. */
export const GLUED_CAPTION_OPENERS = list("He She They It We His Her Their A An But This These Those");
/** Words after which a quotation continues the sentence: prepositions, determiners, conjunctions, copulas. */
export const QUOTE_INTRO_WORDS = list(
  "of as the a an and or to with was is be from in on by that for at about into like than his her their its our my your said:",
);

// ---------- Cleaning ----------

/** News agencies whose name in brackets marks a dateline ("LONDON (Reuters) -"); capitalised as written. */
export const AGENCIES = list("AP Reuters CNN AFP Kyodo Bloomberg UPI dpa Xinhua PA");
/** Named HTML entities an article may legitimately carry (left for the HTML reader). */
export const KNOWN_ENTITIES = list("nbsp ndash mdash hellip lsquo rsquo ldquo rdquo laquo raquo copy reg eacute euro pound");
/** Photo agencies and credit phrases that mark a caption or credit line. */
export const CREDIT_PHRASES = list(
  "getty_images shutterstock ap_photo afp reuters/ epa alamy photo_by photos_by photograph_by photographs_by image_by " +
    "images_by courtesy_of file_photo handout pool_photo photo_credit",
);
/** Position marks in brackets that captions carry ("(left)", "(l-r)"). */
export const CAPTION_POSITIONS = list(
  "l r c l-r r-l left right centre center top bottom above below inset file front back second_left second_right " + "from_left from_right",
);
/** Labels that open a caption or media line ("Photo:", "Watch |"). */
export const MEDIA_LABELS = list(
  "photo photos image images picture pictures photograph credit illustration graphic video watch listen caption source",
);

// ---------- Stop words ----------

/** Words with no content of their own, left out of the terms that compare sentences and stories. */
export const STOP_WORDS: readonly string[] = list(
  "a about above after again against all also am an and any are aren't as at be because been before being below " +
    "between both but by can could couldn't did didn't do does doesn't doing don't down during each few for from further " +
    "had hadn't has hasn't have haven't having he he'd he'll he's her here here's hers herself him himself his how how's i " +
    "i'd i'll i'm i've if in into is isn't it it's its itself let's me more most mustn't my myself no nor not of off on once " +
    "only or other ought our ours ourselves out over own same shan't she she'd she'll she's should shouldn't so some such " +
    "than that that's the their theirs them themselves then there there's these they they'd they'll they're they've this " +
    "those through to too under until up very was wasn't we we'd we'll we're we've were weren't what what's when when's " +
    "where where's which while who who's whom why why's with won't would wouldn't you you'd you'll you're you've your yours " +
    "yourself yourselves said says say will just one two also s t new year years told last first like get got now may " +
    "would us mr mrs ms dr since around according",
);
