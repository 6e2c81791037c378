import type { Pennies } from '../money';

/**
 * Automatic matching of bank lines to ledger entries on the bank account. Pure: no IO.
 *
 * A line and an entry are candidates for each other when their amounts are equal and their dates are at most
 * `windowDays` apart. A pair is matched only when each is the other's one and only candidate, so nothing is ever
 * matched on a guess, and no line or entry can be matched twice. Passes, repeated until nothing changes:
 *   1. reference: candidates whose entry reference (invoice, receipt or LA reference) appears in the line's text;
 *   2. amount and date: any candidates;
 *   3. contra: an entry and its reversal, when neither is a candidate for any line, cancel out (no bank line).
 * Repeating to a fixed point is what makes a second run find nothing new.
 */
export interface MatchableLine {
  id: string;
  postedOn: string;
  /** The line's amount in whole pennies: amounts are equal exactly when these are. */
  amount: Pennies;
  description: string;
}

export interface MatchableEntry {
  id: string;
  valueDate: string;
  /** The entry's net movement on the bank account, in whole pennies. */
  amount: Pennies;
  references: readonly string[];
  reversesEntryId: string | null;
}

export type AutoMatchMethod = 'reference' | 'amount_date' | 'contra';

export interface AutoMatch {
  method: AutoMatchMethod;
  lineIds: string[];
  entryIds: string[];
}

export interface AutoMatchResult {
  matches: AutoMatch[];
  /** Lines left unmatched that have more than one candidate: for the treasurer to choose. */
  suggestions: { lineId: string; entryIds: string[] }[];
}

export const DEFAULT_WINDOW_DAYS = 3;
const REFERENCE_LENGTH_MIN = 4;

export function autoMatch(
  lines: readonly MatchableLine[],
  entries: readonly MatchableEntry[],
  windowDays = DEFAULT_WINDOW_DAYS,
): AutoMatchResult {
  const graph = candidateGraph(lines, entries, windowDays);
  const openLine = new Uint8Array(lines.length).fill(1);
  const openEntry = new Uint8Array(entries.length).fill(1);
  const entryIndex = new Map(entries.map((e, j) => [e.id, j]));
  const matches: AutoMatch[] = [];
  for (let changed = true; changed; ) {
    const before = matches.length;
    for (const method of ['reference', 'amount_date'] as const) {
      for (const [i, j] of uniquePairs(graph, method, openLine, openEntry)) {
        openLine[i] = 0;
        openEntry[j] = 0;
        matches.push({ method, lineIds: [lines[i]!.id], entryIds: [entries[j]!.id] });
      }
    }
    const linesPerEntry = openCandidateCounts(graph, 'amount_date', openLine, openEntry);
    entries.forEach((entry, j) => {
      const original = entry.reversesEntryId === null ? undefined : entryIndex.get(entry.reversesEntryId);
      if (original === undefined || !openEntry[j] || !openEntry[original]) return;
      if (linesPerEntry[j]! > 0 || linesPerEntry[original]! > 0) return;
      openEntry[j] = 0;
      openEntry[original] = 0;
      matches.push({ method: 'contra', lineIds: [], entryIds: [entries[original]!.id, entry.id] });
    });
    changed = matches.length > before;
  }
  const suggestions: AutoMatchResult['suggestions'] = [];
  lines.forEach((line, i) => {
    if (!openLine[i]) return;
    const entryIds: string[] = [];
    graph.eachCandidate(i, 'amount_date', (j) => (openEntry[j] ? entryIds.push(entries[j]!.id) : 0) >= 0);
    if (entryIds.length > 1) suggestions.push({ lineId: line.id, entryIds });
  });
  return { matches, suggestions };
}

type Pass = 'reference' | 'amount_date';

/**
 * Candidates by index. A line's amount-and-date candidates are a contiguous run of its amount's entries sorted by
 * date, so only the run's bounds are kept; reference candidates (usually none or one) are listed. Typed arrays and
 * no per-edge objects: a common amount (a round £200.00 paid by many) can give each line hundreds of candidates.
 */
interface CandidateGraph {
  lineCount: number;
  entryCount: number;
  /** Calls `visit` with each candidate entry of the line (by index) until it returns false. */
  eachCandidate(line: number, pass: Pass, visit: (entry: number) => boolean): void;
}

function candidateGraph(
  lines: readonly MatchableLine[],
  entries: readonly MatchableEntry[],
  windowDays: number,
): CandidateGraph {
  const groups = new Map<Pennies, { days: number[]; entryIndexes: number[] }>();
  const order = entries.map((entry, j) => ({ j, day: dayNumber(entry.valueDate) }));
  order.sort((a, b) => a.day - b.day || (entries[a.j]!.id < entries[b.j]!.id ? -1 : 1));
  for (const { j, day } of order) {
    const group = groups.get(entries[j]!.amount) ?? { days: [], entryIndexes: [] };
    group.days.push(day);
    group.entryIndexes.push(j);
    groups.set(entries[j]!.amount, group);
  }
  const references = entries.map((e) =>
    e.references.map(normaliseReference).filter((r) => r.length >= REFERENCE_LENGTH_MIN),
  );
  const runs = lines.map((line) => {
    const group = groups.get(line.amount);
    if (!group) return null;
    const day = dayNumber(line.postedOn);
    const from = firstAtOrAfter(group.days, day - windowDays);
    const to = firstAtOrAfter(group.days, day + windowDays + 1);
    return from < to ? { group: group.entryIndexes, from, to } : null;
  });
  const referenceHits = lines.map((line, i) => {
    const run = runs[i];
    if (!run) return [];
    const text = normaliseReference(line.description);
    const hits: number[] = [];
    for (let k = run.from; k < run.to; k += 1) {
      const j = run.group[k]!;
      if (references[j]!.some((r) => text.includes(r))) hits.push(j);
    }
    return hits;
  });
  return {
    lineCount: lines.length,
    entryCount: entries.length,
    eachCandidate: (i, pass, visit) => {
      if (pass === 'reference') {
        for (const j of referenceHits[i]!) if (!visit(j)) return;
        return;
      }
      const run = runs[i];
      if (run) for (let k = run.from; k < run.to; k += 1) if (!visit(run.group[k]!)) return;
    },
  };
}

/** For each entry, how many open lines have it as an open candidate under the pass. */
function openCandidateCounts(
  graph: CandidateGraph,
  pass: Pass,
  openLine: Uint8Array,
  openEntry: Uint8Array,
): Int32Array {
  const counts = new Int32Array(graph.entryCount);
  for (let i = 0; i < graph.lineCount; i += 1) {
    if (!openLine[i]) continue;
    graph.eachCandidate(i, pass, (j) => {
      if (openEntry[j]) counts[j]! += 1;
      return true;
    });
  }
  return counts;
}

/** Pairs (line, entry) that are each other's only open candidate under the pass. */
function uniquePairs(
  graph: CandidateGraph,
  pass: Pass,
  openLine: Uint8Array,
  openEntry: Uint8Array,
): [number, number][] {
  const linesPerEntry = openCandidateCounts(graph, pass, openLine, openEntry);
  const pairs: [number, number][] = [];
  for (let i = 0; i < graph.lineCount; i += 1) {
    if (!openLine[i]) continue;
    let only = -1;
    let count = 0;
    graph.eachCandidate(i, pass, (j) => {
      if (openEntry[j]) {
        count += 1;
        only = j;
      }
      return count < 2;
    });
    if (count === 1 && linesPerEntry[only] === 1) pairs.push([i, only]);
  }
  return pairs;
}

function firstAtOrAfter(days: readonly number[], day: number): number {
  let low = 0;
  let high = days.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (days[mid]! < day) low = mid + 1;
    else high = mid;
  }
  return low;
}

function dayNumber(isoDate: string): number {
  return Date.parse(`${isoDate}T00:00:00Z`) / 86_400_000;
}

/** References compare without case, spaces, punctuation or accents: "wxm-0001" is found in "DP WXM 0001". */
export function normaliseReference(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, '');
}
