/**
 * Finding the FAQ answers that fit a shopper's question, with no external service (the chat
 * assistant, docs/decisions/0041). Small on purpose: a shop has at most 300 FAQ entries, so each
 * search scores every entry of the shopper's language.
 *
 * Words are found differently per script:
 * - Latin and Persian text is split into words, common words dropped, endings trimmed a little
 *   ("returns" → "return", "سفارش‌ها" → "سفارش"); a word the FAQ does not hold may still match a
 *   similar one by its letter triples ("shiping" finds "shipping").
 * - Korean, Japanese and Chinese text has no reliable spaces between words (Korean glues particles
 *   to its nouns), so it is cut into overlapping pairs of characters ("배송기간" → 배송, 송기, 기간);
 *   a kanji alone counts a little too, as kanji carry meaning and pairs across a kanji-kana
 *   boundary rarely repeat.
 * Each term counts by its rarity among the entries (idf), at most once per entry, at the weight of
 * the best field it is found in (question over category over answer).
 */

export interface FaqEntry {
  id: string;
  question: string;
  category: string;
  /** The answer as plain text (answerText of the sanitised HTML). */
  answer: string;
}

export interface FaqHit {
  id: string;
  score: number;
  /** The share of the question's weight the entry answers, 0 to 1. */
  coverage: number;
}

const FIELD_WEIGHT = { question: 1, category: 0.6, answer: 0.5 } as const;
type Field = keyof typeof FIELD_WEIGHT;

/** Term kinds: whole words; pairs of CJK or Hangul characters; single kanji (weaker). */
type TermKind = "word" | "pair" | "kanji";
const KIND_WEIGHT: Record<TermKind, number> = { word: 1, pair: 1, kanji: 0.35 };

interface Term {
  key: string;
  kind: TermKind;
}

const STOPWORDS = new Set(
  [
    // English
    (
      "a an the is are am was were be been i im i'm my me mine you your we our us it its to of in on at for " +
      "do does did can could how what when where which who why will would should with and or but be have has had " +
      "there this that these those please hi hello hey thanks thank any about get got much many some if so " +
      "just want need like know tell from by as not no yes ok okay take use"
    ).split(" "),
    // Persian (after normalisation: ی and ک, no zero-width joiner)
    (
      "و در به از که این آن را با است هست نیست من ما شما او چه چطور چگونه آیا برای یک تا هم یا اگر " +
      "سلام ممنون لطفا لطفاً می میخواهم میخوام خواهم کنم کنید کرد کردم شود میشود بشود باید دارم دارید " +
      "چی کی کجا چرا چند هستم هستید بود بر"
    ).split(" "),
  ].flat(),
);

// Korean endings and auxiliaries glued to the words that matter ("반품하고 싶어요", "할 수 있나요"):
// their pairs say how something is asked, not what.
const KOREAN_STOP_PAIRS = new Set(
  (
    "나요 있나 하나 되나 까요 세요 어요 아요 해요 니다 습니 합니 가요 인가 한가 싶어 싶은 하고 주세 " +
    "있어 없어 있을 할수 수있 는데 은데 려요 했는 했어 했습 받을 하면 면서 는지 은지 을까 를까"
  ).split(" "),
);

const HAN = /\p{Script=Han}/u;
const KANA = /[\p{Script=Hiragana}\p{Script=Katakana}ー]/u;
const HANGUL = /\p{Script=Hangul}/u;
const HIRAGANA_ONLY = /^[\p{Script=Hiragana}ー]+$/u;

/**
 * One spelling for one word: width and compatibility forms folded (NFKC), lower case, Arabic
 * letters Persian writes differently (ي ك) as Persian, diacritics and the kashida removed,
 * Persian and Arabic digits as ASCII, the zero-width non-joiner dropped ("می‌خواهم" = "میخواهم").
 */
export function normalizeText(text: string): string {
  return text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[\u064A\u0649]/g, "\u06CC")
    .replace(/\u0643/g, "\u06A9")
    .replace(/[\u064B-\u065F\u0670\u0640]/g, "")
    .replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x0660))
    .replace(/[\u06F0-\u06F9]/g, (d) => String(d.charCodeAt(0) - 0x06f0))
    .replace(/\u200C/g, "");
}

/** Pronouns Persian attaches to a word ("آدرسم" my address, "تغییرش" change it). */
const PERSIAN_CLITICS = ["مان", "تان", "شان", "ام", "ات", "اش", "م", "ت", "ش"];

/** A Persian word without its attached pronoun, when it has one (tried only when the word is not found). */
export function withoutClitic(word: string): string | null {
  if (!/^[\u0600-\u06FF]+$/.test(word)) return null;
  for (const c of PERSIAN_CLITICS) if (word.length - c.length >= 3 && word.endsWith(c)) return word.slice(0, -c.length);
  return null;
}

const PERSIAN_SUFFIXES = ["هایمان", "هایتان", "هایشان", "هایم", "هایت", "هایش", "هایی", "های", "ها", "ترین"];

/** A light stem: enough that plural and tense do not hide a word, never a dictionary's root. */
export function stem(word: string): string {
  if (/^[a-z]+$/.test(word)) {
    let w = word;
    if (w.length > 4 && w.endsWith("ies")) w = `${w.slice(0, -3)}y`;
    else if (w.length > 4 && w.endsWith("sses")) w = w.slice(0, -2);
    else if (w.length > 3 && w.endsWith("s") && !w.endsWith("ss") && !w.endsWith("us")) w = w.slice(0, -1);
    if (w.length > 5 && w.endsWith("ing")) w = w.slice(0, -3);
    else if (w.length > 4 && w.endsWith("ed")) w = w.slice(0, -2);
    // "shipp" (from shipping, shipped) → "ship"
    if (/([bdfgkmnprt])\1$/.test(w)) w = w.slice(0, -1);
    return w;
  }
  if (/^[\u0600-\u06FF]+$/.test(word)) {
    for (const suffix of PERSIAN_SUFFIXES) {
      if (word.length - suffix.length >= 2 && word.endsWith(suffix)) return word.slice(0, -suffix.length);
    }
  }
  return word;
}

/** The terms of a text, in order, duplicates kept (the caller makes sets where it needs them). */
export function terms(text: string): Term[] {
  const out: Term[] = [];
  for (const [word] of normalizeText(text).matchAll(/[\p{L}\p{N}\p{M}ー]+/gu)) {
    // A word may mix scripts ("iphone充電器"): each run of one kind is cut its own way.
    for (const [run] of word.matchAll(
      /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}ー]+|\p{Script=Hangul}+|[^\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}ー\p{Script=Hangul}]+/gu,
    )) {
      const chars = [...run];
      if (HAN.test(chars[0]) || KANA.test(chars[0]) || HANGUL.test(chars[0])) {
        if (chars.length === 1) {
          if (!HIRAGANA_ONLY.test(run) && !/^[수할것좀]$/.test(run))
            out.push({ key: run, kind: HANGUL.test(run) ? "pair" : "kanji" });
          continue;
        }
        for (let i = 0; i + 1 < chars.length; i++) {
          const pair = chars[i] + chars[i + 1];
          // Pairs of hiragana are mostly grammar (ですか, ますか), not what the question is about.
          if (!HIRAGANA_ONLY.test(pair) && !KOREAN_STOP_PAIRS.has(pair)) out.push({ key: pair, kind: "pair" });
        }
        for (const c of chars) if (HAN.test(c)) out.push({ key: c, kind: "kanji" });
      } else {
        if (STOPWORDS.has(run) || (run.length < 2 && !/\d/.test(run))) continue;
        out.push({ key: stem(run), kind: "word" });
      }
    }
  }
  return out;
}

function trigrams(word: string): Set<string> {
  const padded = `^${word}$`;
  const chars = [...padded];
  const set = new Set<string>();
  for (let i = 0; i + 2 < chars.length; i++) set.add(chars[i] + chars[i + 1] + chars[i + 2]);
  return set;
}

/** Dice's coefficient of two words' letter triples: 1 for the same word, 0 for nothing shared. */
export function similarity(a: string, b: string): number {
  const ta = trigrams(a);
  const tb = trigrams(b);
  let shared = 0;
  for (const t of ta) if (tb.has(t)) shared++;
  return (2 * shared) / (ta.size + tb.size);
}

/** Below this, two different words are not taken for one another. */
const FUZZY_MIN = 0.6;
/** The share of weight a question's word counts for when no entry holds it. */
const UNKNOWN_WEIGHT = 0.35;
/** A Persian word found once its attached pronoun is taken off. */
const CLITIC_WEIGHT = 0.9;
/** A near match counts for less than the word itself. */
const FUZZY_WEIGHT = 0.7;

interface IndexedEntry {
  id: string;
  /** Each term's best field weight in this entry. */
  weights: Map<string, number>;
  /** Words of the question and category (near matches are looked for there only: they are short). */
  shortWords: string[];
}

const termKey = (t: Term) => `${t.kind}:${t.key}`;

export interface FaqIndex {
  entries: IndexedEntry[];
  /** How many entries hold each term. */
  documentFrequency: Map<string, number>;
}

export function indexFaq(entries: ReadonlyArray<FaqEntry>): FaqIndex {
  const documentFrequency = new Map<string, number>();
  const indexed = entries.map((entry) => {
    const weights = new Map<string, number>();
    const shortWords = new Set<string>();
    for (const field of ["question", "category", "answer"] as Field[]) {
      for (const t of terms(entry[field])) {
        const k = termKey(t);
        weights.set(k, Math.max(weights.get(k) ?? 0, FIELD_WEIGHT[field]));
        if (t.kind === "word" && field !== "answer") shortWords.add(t.key);
      }
    }
    for (const k of weights.keys()) documentFrequency.set(k, (documentFrequency.get(k) ?? 0) + 1);
    return { id: entry.id, weights, shortWords: [...shortWords] };
  });
  return { entries: indexed, documentFrequency };
}

export interface SearchOptions {
  /** At most this many answers. */
  limit?: number;
  /** Answers must cover at least this share of the question's weight. */
  minCoverage?: number;
  /** Answers after the first must score at least this share of the first's score. */
  relativeToBest?: number;
}

/**
 * The entries that answer `question`, best first. An entry must cover a fair share of what the
 * question asks (its rare words count most), so an unrelated question finds nothing rather than
 * the least bad entry.
 */
export function searchFaq(index: FaqIndex, question: string, options: SearchOptions = {}): FaqHit[] {
  const { limit = 3, minCoverage = 0.3, relativeToBest = 0.5 } = options;
  const n = index.entries.length;
  if (!n) return [];
  const idf = (df: number) => Math.log(1 + (n - df + 0.5) / (df + 0.5));
  const query = new Map<string, Term>();
  for (const t of terms(question)) query.set(termKey(t), t);
  if (!query.size) return [];

  // A word no entry holds counts for a part of the rarest word's weight: a question full of words
  // the FAQ never uses covers little of any entry, but one such word ("shoes" in "can I return
  // these shoes") does not hide the entry the rest of the question asks for.
  let total = 0;
  const weightOf = new Map<string, number>();
  for (const [k, t] of query) {
    const df = index.documentFrequency.get(k) ?? 0;
    const w = idf(Math.max(1, df)) * KIND_WEIGHT[t.kind] * (df ? 1 : UNKNOWN_WEIGHT);
    weightOf.set(k, w);
    total += w;
  }

  const hits: FaqHit[] = [];
  for (const entry of index.entries) {
    let score = 0;
    for (const [k, t] of query) {
      let match = entry.weights.get(k) ?? 0;
      const bare = !match && t.kind === "word" ? withoutClitic(t.key) : null;
      if (bare) match = (entry.weights.get(`word:${bare}`) ?? 0) * CLITIC_WEIGHT;
      if (!match && t.kind === "word" && t.key.length >= 3) {
        let best = 0;
        for (const w of entry.shortWords) best = Math.max(best, similarity(t.key, w));
        if (best >= FUZZY_MIN) match = best * FUZZY_WEIGHT;
      }
      score += match * weightOf.get(k)!;
    }
    if (score > 0) hits.push({ id: entry.id, score, coverage: score / total });
  }
  hits.sort((a, b) => b.score - a.score || a.id.localeCompare(b.id));
  const best = hits[0];
  if (!best || best.coverage < minCoverage) return [];
  return hits.filter((h) => h.coverage >= minCoverage && h.score >= best.score * relativeToBest).slice(0, limit);
}

/** An answer's words without its markup: paragraphs and list items on their own lines. */
export function answerText(html: string): string {
  return html
    .replace(/<\s*br\s*\/?>/gi, "\n")
    .replace(/<\s*li[^>]*>/gi, "\n• ")
    .replace(/<\/\s*(p|h3|h4|blockquote|ul|ol)\s*>/gi, "\n\n")
    .replace(/<[^>]*>/g, "")
    .replace(/&nbsp;/g, " ")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&amp;/g, "&")
    .replace(/[ \t]+\n/g, "\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}
