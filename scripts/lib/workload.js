// The reference workload: a word-level n-gram language model, trained, run and evaluated with
// integers only, so any machine recomputes every output bit for bit and a wrong one can be shown
// wrong by re-execution.
//
// - Training counts every n-gram (orders 1..n) of a snapshot's contributions; the artifact is a
//   canonical serialization of the counts and of the training text itself.
// - Inference continues a prompt greedily (the most frequent next word, ties to the smallest
//   word) with backoff to shorter contexts, and attributes the output to the contributions whose
//   text its spans match longest, found in a suffix array over the training text (the
//   "infini-gram" method).
// - Evaluation gives a held-out text's cross-entropy and perplexity under an interpolated model,
//   in fixed point (six decimals), from rational probabilities and an integer log2.

/** What each output declares itself to be. */
export const MODEL_FORMAT = 'lineage-ngram/1';
export const INFERENCE_FORMAT = 'lineage-inference/1';
export const EVALUATION_FORMAT = 'lineage-evaluation/1';
/** The n of the n-grams, unless told otherwise. */
export const DEFAULT_ORDER = 3;
/** How many words an inference adds, unless told otherwise. */
export const DEFAULT_MAX_TOKENS = 24;

/** A workload input that cannot be used; the message says which and why. */
export class WorkloadError extends Error {}

/** Words: NFC, lower case, runs of letters and digits (with inner apostrophes). */
export function tokens(text) {
  return (
    text
      .normalize('NFC')
      .toLowerCase()
      .match(/[\p{L}\p{N}]+(?:['’][\p{L}\p{N}]+)*/gu) ?? []
  );
}

/** Strings in code-unit order, the one order every engine agrees on. */
const byCode = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

/** Canonical JSON: object keys sorted, no spaces, one trailing newline. */
export function canonical(value) {
  const order = (v) =>
    Array.isArray(v)
      ? v.map(order)
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.keys(v)
              .sort(byCode)
              .map((k) => [k, order(v[k])]),
          )
        : v;
  return Buffer.from(JSON.stringify(order(value)) + '\n', 'utf8');
}

// ---- training ----

/**
 * Trains on `documents` (`{ id, text }`: a contribution's id and its text, in any order): the
 * counts of every n-gram of orders 1..`order`, within each document. Returns the model.
 */
export function train(documents, { order = DEFAULT_ORDER } = {}) {
  if (!Number.isInteger(order) || order < 1 || order > 8)
    throw new WorkloadError(`the order ${order} is not a whole number from 1 to 8`);
  const corpus = [...documents]
    .map((d) => ({ id: String(d.id), tokens: tokens(d.text) }))
    .sort((a, b) => byCode(a.id, b.id));
  if (new Set(corpus.map((d) => d.id)).size !== corpus.length)
    throw new WorkloadError('two training documents have the same id');
  if (!corpus.some((d) => d.tokens.length))
    throw new WorkloadError('the training text holds no words');
  return { format: MODEL_FORMAT, order, corpus, counts: countNgrams(corpus, order) };
}

/** The counts of every n-gram of orders 1..`order` within each document's words. */
function countNgrams(corpus, order) {
  const counts = new Map();
  for (const { tokens: words } of corpus) {
    for (let i = 0; i < words.length; i++) {
      for (let k = 0; k < order && k <= i; k++) {
        const context = words.slice(i - k, i).join(' ');
        const next = counts.get(context) ?? new Map();
        next.set(words[i], (next.get(words[i]) ?? 0) + 1);
        counts.set(context, next);
      }
    }
  }
  return counts;
}

/**
 * Whether `bytes` are exactly what training of `order` gives on the documents they declare, as
 * the chain checks a trained model (`check_artifact` in pallets/reference, with the pallet's
 * rule that every document names a contribution): the documents' texts taken as they are, in id
 * order, each id a contribution's.
 */
export function trainedOnItsDocuments(bytes, order) {
  let raw;
  try {
    raw = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    return false;
  }
  if (raw?.format !== MODEL_FORMAT || raw.order !== order || !Array.isArray(raw.corpus))
    return false;
  if (!Number.isInteger(order) || order < 1 || order > 8) return false;
  const named = (d) =>
    typeof d?.id === 'string' &&
    typeof d.text === 'string' &&
    /^(0|[1-9][0-9]*)$/.test(d.id) &&
    BigInt(d.id) < 2n ** 64n;
  if (!raw.corpus.every(named)) return false;
  const corpus = raw.corpus.map((d) => ({ id: d.id, tokens: d.text ? d.text.split(' ') : [] }));
  if (corpus.some((d, i) => i > 0 && byCode(corpus[i - 1].id, d.id) >= 0)) return false;
  const words = corpus.flatMap((d) => d.tokens);
  if (!words.length || words.includes('')) return false;
  const model = { format: MODEL_FORMAT, order, corpus, counts: countNgrams(corpus, order) };
  return serializeModel(model).equals(Buffer.from(bytes));
}

/** The model's artifact bytes: canonical JSON of its order, training text and counts. */
export function serializeModel(model) {
  const ngrams = [];
  for (const context of [...model.counts.keys()].sort(byCode)) {
    const next = model.counts.get(context);
    for (const word of [...next.keys()].sort(byCode)) ngrams.push([context, word, next.get(word)]);
  }
  return canonical({
    format: model.format,
    order: model.order,
    corpus: model.corpus.map((d) => ({ id: d.id, text: d.tokens.join(' ') })),
    ngrams,
  });
}

/** A model from its artifact bytes; refuses anything that is not one. */
export function parseModel(bytes) {
  let raw;
  try {
    raw = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    throw new WorkloadError('the model is not JSON');
  }
  if (raw?.format !== MODEL_FORMAT)
    throw new WorkloadError(`the model is not a ${MODEL_FORMAT} artifact`);
  const counts = new Map();
  for (const [context, word, count] of raw.ngrams) {
    const next = counts.get(context) ?? new Map();
    next.set(word, count);
    counts.set(context, next);
  }
  const corpus = raw.corpus.map((d) => ({ id: d.id, tokens: d.text ? d.text.split(' ') : [] }));
  const model = { format: raw.format, order: raw.order, corpus, counts };
  if (!serializeModel(model).equals(Buffer.from(bytes)))
    throw new WorkloadError('the model is not in canonical form');
  return model;
}

// ---- inference ----

/** The next word after `words`: the most frequent, ties to the smallest; backs off. */
function nextWord(model, words) {
  for (let k = Math.min(model.order - 1, words.length); k >= 0; k--) {
    const next = model.counts.get(words.slice(words.length - k).join(' '));
    if (!next) continue;
    let best = null;
    for (const [word, count] of next)
      if (best === null || count > best[1] || (count === best[1] && word < best[0]))
        best = [word, count];
    return best[0];
  }
  return null;
}

/**
 * Continues `prompt` by up to `maxTokens` words and attributes the continuation to the
 * training contributions. Returns the output document (see `serializeInference`).
 */
export function infer(model, prompt, { maxTokens = DEFAULT_MAX_TOKENS } = {}) {
  const words = tokens(prompt);
  const continuation = [];
  for (let i = 0; i < maxTokens; i++) {
    const word = nextWord(model, [...words, ...continuation]);
    if (word === null) break;
    continuation.push(word);
  }
  return {
    format: INFERENCE_FORMAT,
    prompt: words.join(' '),
    continuation: continuation.join(' '),
    attribution: attribute(model, continuation),
  };
}

export const serializeInference = (output) => canonical(output);

/**
 * A suffix array over the training text: every document's words as integers, each document
 * ended by its own negative separator so no match crosses two documents.
 */
function suffixArray(model) {
  const vocabulary = new Map();
  const text = [];
  const owner = [];
  model.corpus.forEach((doc, d) => {
    for (const word of doc.tokens) {
      if (!vocabulary.has(word)) vocabulary.set(word, vocabulary.size);
      text.push(vocabulary.get(word));
      owner.push(d);
    }
    text.push(-1 - d);
    owner.push(d);
  });
  const suffixes = text.map((_, i) => i);
  suffixes.sort((a, b) => {
    for (;;) {
      if (a >= text.length) return b >= text.length ? 0 : -1;
      if (b >= text.length) return 1;
      if (text[a] !== text[b]) return text[a] - text[b];
      a += 1;
      b += 1;
    }
  });
  return { text, owner, suffixes, vocabulary };
}

/**
 * Which contributions the output's spans come from: from each position, the longest span of the
 * output found in the training text, credited (its length in words) to every contribution that
 * holds it; then the next position after the span. Sorted by words credited, then id.
 */
export function attribute(model, output) {
  if (!output.length) return [];
  const { text, owner, suffixes, vocabulary } = suffixArray(model);
  const credit = new Map();
  let i = 0;
  while (i < output.length) {
    let [lo, hi] = [0, suffixes.length];
    let length = 0;
    for (; i + length < output.length; length++) {
      const id = vocabulary.get(output[i + length]);
      if (id === undefined) break;
      const at = (s) =>
        suffixes[s] + length < text.length ? text[suffixes[s] + length] : -Infinity;
      // Within [lo, hi) every suffix starts with the span so far: the ones going on with `id`
      // are one contiguous run.
      let a = lo;
      let b = hi;
      while (a < b) {
        const m = (a + b) >> 1;
        if (at(m) < id) a = m + 1;
        else b = m;
      }
      let c = a;
      let e = hi;
      while (c < e) {
        const m = (c + e) >> 1;
        if (at(m) <= id) c = m + 1;
        else e = m;
      }
      if (a === c) break;
      [lo, hi] = [a, c];
    }
    if (length === 0) {
      i += 1;
      continue;
    }
    const docs = new Set();
    for (let s = lo; s < hi; s++) docs.add(owner[suffixes[s]]);
    for (const d of docs) {
      const id = model.corpus[d].id;
      const entry = credit.get(id) ?? { contribution: id, words: 0, longest: 0 };
      entry.words += length;
      entry.longest = Math.max(entry.longest, length);
      credit.set(id, entry);
    }
    i += length;
  }
  return [...credit.values()].sort(
    (a, b) => b.words - a.words || byCode(a.contribution, b.contribution),
  );
}

// ---- evaluation ----

/** Fixed-point scale of the logarithms: 2^32. */
const F = 32n;
const ONE = 1n << F;

/** log2(x) of a positive integer, times 2^32, rounded down. */
function log2Fixed(x) {
  const k = BigInt(x.toString(2).length - 1);
  let y = k >= F ? x >> (k - F) : x << (F - k);
  let fraction = 0n;
  for (let bit = F - 1n; bit >= 0n; bit--) {
    y = (y * y) >> F;
    if (y >= 2n * ONE) {
      y >>= 1n;
      fraction |= 1n << bit;
    }
  }
  return (k << F) + fraction;
}

/** ⌊√n⌋ of a non-negative integer. */
function isqrt(n) {
  if (n < 2n) return n;
  let x = 1n << BigInt(Math.ceil(n.toString(2).length / 2));
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}

/** 2^(2^-i) times 2^32, for i = 1..32: each the square root of the one before. */
const ROOTS = (() => {
  const out = [];
  let r = 2n * ONE;
  for (let i = 0; i < Number(F); i++) {
    r = isqrt(r << F);
    out.push(r);
  }
  return out;
})();

/** 2^(h / 2^32) times 2^32, for h ≥ 0. */
function exp2Fixed(h) {
  let result = ONE;
  const fraction = h & (ONE - 1n);
  for (let i = 0; i < Number(F); i++)
    if (fraction & (1n << (F - 1n - BigInt(i)))) result = (result * ROOTS[i]) >> F;
  return result << (h >> F);
}

/** A fixed-point value (times 2^32) as text with six decimals, rounded down. */
const decimals6 = (fixed) => {
  const micro = (fixed * 1_000_000n) >> F;
  return `${micro / 1_000_000n}.${(micro % 1_000_000n).toString().padStart(6, '0')}`;
};

/**
 * The probability of `word` after `words`, as a fraction [numerator, denominator]:
 * p(w | c) = (count(c, w) + p(w | c shortened)) / (count(c) + 1), down to
 * p(w) = (count(w) + 1) / (words + vocabulary + 1): a distribution over the vocabulary and one
 * unknown word, at every order.
 */
function probability(model, words, word, totals) {
  const unigrams = model.counts.get('') ?? new Map();
  let [num, den] = [
    BigInt((unigrams.get(word) ?? 0) + 1),
    BigInt(totals.words + unigrams.size + 1),
  ];
  for (let k = 1; k < model.order && k <= words.length; k++) {
    const context = words.slice(words.length - k).join(' ');
    const next = model.counts.get(context);
    if (!next) break;
    const count = BigInt(next.get(word) ?? 0);
    const total = BigInt(totals.context(context));
    // (count + num/den) / (total + 1)
    [num, den] = [count * den + num, den * (total + 1n)];
  }
  return [num, den];
}

/**
 * A held-out text's cross-entropy (bits per word) and perplexity under the model, in fixed
 * point; the same on every machine.
 */
export function evaluate(model, text) {
  const words = tokens(text);
  if (!words.length) throw new WorkloadError('the held-out text holds no words');
  const unigrams = model.counts.get('') ?? new Map();
  const contextTotals = new Map();
  const totals = {
    words: [...unigrams.values()].reduce((s, c) => s + c, 0),
    context: (context) => {
      if (!contextTotals.has(context))
        contextTotals.set(
          context,
          [...model.counts.get(context).values()].reduce((s, c) => s + c, 0),
        );
      return contextTotals.get(context);
    },
  };
  let bits = 0n;
  for (let i = 0; i < words.length; i++) {
    const [num, den] = probability(model, words.slice(0, i), words[i], totals);
    bits += log2Fixed(den) - log2Fixed(num);
  }
  const perWord = bits / BigInt(words.length);
  return {
    format: EVALUATION_FORMAT,
    words: words.length,
    crossEntropyBits: decimals6(perWord),
    perplexity: decimals6(exp2Fixed(perWord)),
  };
}

export const serializeEvaluation = (output) => canonical(output);
