// Fuzzy task matching for the offline agent: words survive plurals ("groceries" ~ "grocery") and small typos ("dentsit").

/** Words that say nothing about which task is meant. */
const STOP = new Set(['a', 'an', 'the', 'my', 'to', 'of', 'for', 'as', 'task', 'tasks', 'todo', 'todos', 'item', 'items', 'one', 'please'])

/** The word's singular-ish stem: "groceries" and "grocery" both give "grocery", "boxes" gives "box", "calls" gives "call", "watering" gives "water". */
export function stem(word: string): string {
  // "watering" → "water"; not "thing" or "ring".
  if (word.length > 6 && word.endsWith('ing')) return word.slice(0, -3)
  if (word.length > 4 && word.endsWith('ies')) return word.slice(0, -3) + 'y'
  if (word.length > 4 && /(?:s|x|z|ch|sh)es$/.test(word)) return word.slice(0, -2)
  if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss')) return word.slice(0, -1)
  return word
}

/** The words of a text that can identify a task, lower case. */
export function keywords(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter((w) => !STOP.has(w))
}

/** Edit distance counting a swap of two neighbours as one edit ("compelte" is one from "complete"). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)))
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1)
    }
  }
  return d[a.length]![b.length]!
}

/** Typos forgiven in a word of this length: none in short words, where one letter makes another word. */
const tolerance = (length: number) => (length >= 8 ? 2 : length >= 4 ? 1 : 0)

/** How well one word of the request matches one word of a title, 0 to 1. */
export function wordSimilarity(query: string, word: string): number {
  const [q, w] = [stem(query), stem(word)]
  if (q === w) return 1
  // "groc" for "groceries": a prefix of four letters or more is nearly as good.
  if (q.length >= 4 && w.startsWith(q)) return 0.9
  const distance = editDistance(q, w)
  return distance <= tolerance(Math.min(q.length, w.length)) ? 1 - distance / (2 * Math.max(q.length, w.length)) : 0
}

/** How well a request's words match a title: the mean of each word's best match (0 when a word matches nothing well). */
export function titleScore(words: readonly string[], title: string): number {
  if (words.length === 0) return 0
  const titleWords = keywords(title)
  let sum = 0
  for (const q of words) {
    const best = Math.max(0, ...titleWords.map((w) => wordSimilarity(q, w)))
    if (best === 0) return 0
    sum += best
  }
  return sum / words.length
}

/** A word corrected to the nearest of `known` when only a typo away ("compelte" → "complete"), else itself. */
export function correctWord(word: string, known: readonly string[]): string {
  const lower = word.toLowerCase()
  if (known.includes(lower)) return lower
  let best: { word: string; distance: number } | undefined
  for (const k of known) {
    const distance = editDistance(lower, k)
    if (distance <= tolerance(Math.min(lower.length, k.length)) && (!best || distance < best.distance)) best = { word: k, distance }
  }
  return best?.word ?? word
}
