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
  /** Canonical two-decimal string: equality of amounts is equality of these strings. */
  amount: string;
  description: string;
}

export interface MatchableEntry {
  id: string;
  valueDate: string;
  /** The entry's net movement on the bank account, canonical two-decimal string. */
  amount: string;
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

export function autoMatch(lines: readonly MatchableLine[], entries: readonly MatchableEntry[], windowDays = DEFAULT_WINDOW_DAYS): AutoMatchResult {
  const graph = candidateGraph(lines, entries, windowDays);
  const openLines = new Set(lines.map((l) => l.id));
  const openEntries = new Set(entries.map((e) => e.id));
  const matches: AutoMatch[] = [];
  for (let changed = true; changed; ) {
    const before = matches.length;
    for (const method of ['reference', 'amount_date'] as const) {
      for (const [lineId, entryId] of uniquePairs(graph, method, openLines, openEntries)) {
        openLines.delete(lineId);
        openEntries.delete(entryId);
        matches.push({ method, lineIds: [lineId], entryIds: [entryId] });
      }
    }
    for (const entry of entries) {
      const original = entry.reversesEntryId;
      if (!original || !openEntries.has(entry.id) || !openEntries.has(original)) continue;
      if (hasOpenCandidate(graph, entry.id, openLines) || hasOpenCandidate(graph, original, openLines)) continue;
      openEntries.delete(entry.id);
      openEntries.delete(original);
      matches.push({ method: 'contra', lineIds: [], entryIds: [original, entry.id] });
    }
    changed = matches.length > before;
  }
  const suggestions = lines
    .filter((l) => openLines.has(l.id))
    .map((l) => ({ lineId: l.id, entryIds: (graph.lineEdges.get(l.id) ?? []).filter((e) => openEntries.has(e.entryId)).map((e) => e.entryId) }))
    .filter((s) => s.entryIds.length > 1);
  return { matches, suggestions };
}

interface Edge {
  entryId: string;
  byReference: boolean;
}

interface CandidateGraph {
  lineEdges: Map<string, Edge[]>;
  entryEdges: Map<string, { lineId: string; byReference: boolean }[]>;
}

/** Candidate edges, found per line by binary search among entries of the same amount sorted by date: n log n. */
function candidateGraph(lines: readonly MatchableLine[], entries: readonly MatchableEntry[], windowDays: number): CandidateGraph {
  const byAmount = new Map<string, { day: number; entry: MatchableEntry; references: string[] }[]>();
  for (const entry of entries) {
    const group = byAmount.get(entry.amount) ?? [];
    group.push({ day: dayNumber(entry.valueDate), entry, references: entry.references.map(normaliseReference).filter((r) => r.length >= REFERENCE_LENGTH_MIN) });
    byAmount.set(entry.amount, group);
  }
  for (const group of byAmount.values()) group.sort((a, b) => a.day - b.day || (a.entry.id < b.entry.id ? -1 : 1));

  const lineEdges = new Map<string, Edge[]>();
  const entryEdges = new Map<string, { lineId: string; byReference: boolean }[]>();
  for (const line of lines) {
    const group = byAmount.get(line.amount);
    if (!group) continue;
    const day = dayNumber(line.postedOn);
    const text = normaliseReference(line.description);
    const edges: Edge[] = [];
    for (let i = firstAtOrAfter(group, day - windowDays); i < group.length && group[i]!.day <= day + windowDays; i += 1) {
      const { entry, references } = group[i]!;
      const byReference = references.some((r) => text.includes(r));
      edges.push({ entryId: entry.id, byReference });
      const back = entryEdges.get(entry.id) ?? [];
      back.push({ lineId: line.id, byReference });
      entryEdges.set(entry.id, back);
    }
    if (edges.length > 0) lineEdges.set(line.id, edges);
  }
  return { lineEdges, entryEdges };
}

/** Pairs that are each other's only open candidate under the method's edges. */
function uniquePairs(graph: CandidateGraph, method: 'reference' | 'amount_date', openLines: Set<string>, openEntries: Set<string>): [string, string][] {
  const counts = method === 'reference';
  const pairs: [string, string][] = [];
  for (const [lineId, edges] of graph.lineEdges) {
    if (!openLines.has(lineId)) continue;
    const open = edges.filter((e) => openEntries.has(e.entryId) && (!counts || e.byReference));
    if (open.length !== 1) continue;
    const entryId = open[0]!.entryId;
    const back = (graph.entryEdges.get(entryId) ?? []).filter((e) => openLines.has(e.lineId) && (!counts || e.byReference));
    if (back.length === 1) pairs.push([lineId, entryId]);
  }
  return pairs;
}

function hasOpenCandidate(graph: CandidateGraph, entryId: string, openLines: Set<string>): boolean {
  return (graph.entryEdges.get(entryId) ?? []).some((e) => openLines.has(e.lineId));
}

function firstAtOrAfter(group: { day: number }[], day: number): number {
  let low = 0;
  let high = group.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (group[mid]!.day < day) low = mid + 1;
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
