import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { penniesOf } from '../../src/domain/money';
import {
  type AutoMatch,
  type AutoMatchResult,
  DEFAULT_WINDOW_DAYS,
  type MatchableEntry,
  type MatchableLine,
  autoMatch,
  normaliseReference,
} from '../../src/domain/reconciliation/auto-match';

/**
 * Auto-matching bank lines to ledger entries, over random ledgers and the bank exports they would produce. A bank
 * export is made from the ledger itself: one line per entry (same amount, date moved by at most the window, the
 * entry's reference sometimes quoted in the text), some lines never arriving, the rest shuffled, plus a few lines
 * that match nothing; now and then an entry's payment shows twice. Because each line remembers the entry it came
 * from, "never matches on a guess" is checkable: every match must pair a line with its own entry. Amounts come from a small set and dates from a short span, so
 * equal candidates (the hard case) are common.
 */

const DAY_MS = 86_400_000;
const REFERENCE_LENGTH_MIN = 4; // references shorter than this (normalised) are never looked for

// ---------------------------------------------------------------------------------------------------------------
// Small helpers, written independently of the code under test

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const negate = (amount: string): string => (amount.startsWith('-') ? amount.slice(1) : `-${amount}`);
const dayOf = (iso: string): number => Date.parse(`${iso}T00:00:00Z`) / DAY_MS;
const isoOf = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);
/** Case, spaces, punctuation and accents ignored (a reading of the doc comment, not the module's own function). */
const plain = (text: string): string =>
  text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, '');

function isCandidate(line: MatchableLine, entry: MatchableEntry, windowDays: number): boolean {
  return line.amount === entry.amount && Math.abs(dayOf(line.postedOn) - dayOf(entry.valueDate)) <= windowDays;
}
function quotesReferenceOf(line: MatchableLine, entry: MatchableEntry): boolean {
  const text = plain(line.description);
  return entry.references.map(plain).some((r) => r.length >= REFERENCE_LENGTH_MIN && text.includes(r));
}

/** A match as comparable text: method, sorted line ids, sorted entry ids. */
const keyOf = (m: AutoMatch): string =>
  `${m.method}:${[...m.lineIds].sort(byText).join(',')}|${[...m.entryIds].sort(byText).join(',')}`;
const matchKeys = (r: AutoMatchResult): string[] => r.matches.map(keyOf).sort(byText);
const suggestionKeys = (r: AutoMatchResult): string[] =>
  r.suggestions.map((s) => `${s.lineId}:${[...s.entryIds].sort(byText).join(',')}`).sort(byText);

function matchedIds(result: AutoMatchResult): { lines: Set<string>; entries: Set<string> } {
  return {
    lines: new Set(result.matches.flatMap((m) => m.lineIds)),
    entries: new Set(result.matches.flatMap((m) => m.entryIds)),
  };
}

/**
 * The doc comment read literally, in O(n²) per pass: reference pass, then amount-and-date pass, then contra, each
 * pass pairing what is mutually unique among what is still open, repeated until a round matches nothing.
 */
function referenceAutoMatch(
  lines: readonly MatchableLine[],
  entries: readonly MatchableEntry[],
  windowDays: number,
): string[] {
  const openLines = new Set(lines.map((l) => l.id));
  const openEntries = new Set(entries.map((e) => e.id));
  const keys: string[] = [];
  const passes = [
    {
      method: 'reference' as const,
      edge: (l: MatchableLine, e: MatchableEntry) => isCandidate(l, e, windowDays) && quotesReferenceOf(l, e),
    },
    { method: 'amount_date' as const, edge: (l: MatchableLine, e: MatchableEntry) => isCandidate(l, e, windowDays) },
  ];
  for (let changed = true; changed; ) {
    changed = false;
    for (const { method, edge } of passes) {
      const pairs: [MatchableLine, MatchableEntry][] = [];
      for (const line of lines.filter((l) => openLines.has(l.id))) {
        const options = entries.filter((e) => openEntries.has(e.id) && edge(line, e));
        if (options.length !== 1) continue;
        const back = lines.filter((l) => openLines.has(l.id) && edge(l, options[0]!));
        if (back.length === 1) pairs.push([line, options[0]!]);
      }
      for (const [line, entry] of pairs) {
        openLines.delete(line.id);
        openEntries.delete(entry.id);
        keys.push(keyOf({ method, lineIds: [line.id], entryIds: [entry.id] }));
        changed = true;
      }
    }
    const hasOpenLine = (e: MatchableEntry) => lines.some((l) => openLines.has(l.id) && isCandidate(l, e, windowDays));
    for (const reversal of entries) {
      const original = entries.find((e) => e.id === reversal.reversesEntryId);
      if (
        !original ||
        !openEntries.has(reversal.id) ||
        !openEntries.has(original.id) ||
        hasOpenLine(reversal) ||
        hasOpenLine(original)
      )
        continue;
      openEntries.delete(reversal.id);
      openEntries.delete(original.id);
      keys.push(keyOf({ method: 'contra', lineIds: [], entryIds: [original.id, reversal.id] }));
      changed = true;
    }
  }
  return keys.sort(byText);
}

// ---------------------------------------------------------------------------------------------------------------
// Random ledgers and the bank exports made from them

/** A small set of amounts (closed under negation, so reversals collide too): equal amounts are the common case. */
const AMOUNTS = [
  '12.50',
  '-12.50',
  '100.00',
  '-100.00',
  '-36.40',
  '36.40',
  '250.00',
  '-250.00',
  '0.01',
  '-0.01',
] as const;
/** Amounts no entry has: the extra bank lines (bank charges, stray transfers) carry these. */
const STRAY_AMOUNTS = ['-7.77', '3.33', '1234.56', '-999.99'] as const;

/**
 * References an entry may carry: its own, an LA reference, an invoice reference. A pool, so entries share them
 * (as every DP receipt for one holder shares the LA reference). Fixed-width digits, so no normalised reference is
 * found inside a text that quotes a different one. 'A1' and 'DP7' are too short to be looked for.
 */
const REFERENCES = [
  ...Array.from({ length: 8 }, (_, i) => `WXM-${String(i + 1).padStart(4, '0')}`),
  ...Array.from({ length: 12 }, (_, i) => `INV-2026-${String(i + 1).padStart(3, '0')}`),
  'CCBC/DP/0042',
  'CCBC/DP/0417',
  'PCC-DP-1180',
  'A1',
  'DP7',
] as const;
/** Words a bank puts around a reference; letters only, so they never complete a reference. */
const FILLERS = ['FASTER PAYMENT', 'BACS', 'Taliad', 'Gofal Cydweithredol', 'CR', 'TFR', 'Cwmni Gofal'] as const;

interface LineSpec {
  id: string;
  arrives: boolean;
  jitter: number;
  quote: number;
  filler: string[];
  /** Now and then the bank shows the same payment twice (paid twice, or a statement imported twice). */
  echo: { id: string; jitter: number; quote: number } | null;
}

interface EntrySpec {
  id: string;
  day: number;
  amount: string;
  references: string[];
  line: LineSpec;
  reversal: { id: string; lag: number; postedInError: boolean; line: LineSpec } | null;
}

interface Ledger {
  windowDays: number;
  entries: MatchableEntry[];
  lines: MatchableLine[];
  /** The entry each line was made from; null for the extra lines that match nothing. */
  sourceOf: Map<string, string | null>;
}

const lineSpecArb = (windowDays: number, echoes: boolean): fc.Arbitrary<LineSpec> =>
  fc.record({
    id: fc.uuid(),
    arrives: fc.integer({ min: 0, max: 4 }).map((n) => n > 0),
    jitter: fc.oneof(fc.constantFrom(-windowDays, windowDays), fc.integer({ min: -windowDays, max: windowDays })),
    quote: fc.nat({ max: 11 }),
    filler: fc.subarray([...FILLERS], { maxLength: 2 }),
    echo: echoes
      ? fc.oneof(
          { weight: 7, arbitrary: fc.constant(null) },
          {
            weight: 1,
            arbitrary: fc.record({
              id: fc.uuid(),
              jitter: fc.integer({ min: -windowDays, max: windowDays }),
              quote: fc.nat({ max: 11 }),
            }),
          },
        )
      : fc.constant(null),
  });

/** How a bank writes a reference: as given, lower case, punctuation as spaces, with Welsh accents. */
function written(reference: string, style: number): string {
  switch (style % 4) {
    case 0:
      return reference;
    case 1:
      return reference.toLowerCase();
    case 2:
      return reference.replace(/[^A-Za-z0-9]/g, ' ');
    default:
      return reference.replace(/W/g, 'Ŵ').replace(/I/g, 'Î').replace(/C/g, 'Ç');
  }
}

/** The line's text: filler words, and for two quotes in three one of the entry's references, somewhere. */
function descriptionOf(references: readonly string[], spec: LineSpec): string {
  const words = [...spec.filler];
  if (references.length > 0 && spec.quote % 3 !== 0) {
    const quoted = written(references[spec.quote % references.length]!, spec.quote >> 1);
    if (spec.quote % 2 === 0) words.unshift(quoted);
    else words.push(quoted);
  }
  return words.join(' ');
}

function ledgerArb({ reversals, echoes }: { reversals: boolean; echoes: boolean }): fc.Arbitrary<Ledger> {
  return fc
    .record({
      windowDays: fc.integer({ min: 0, max: 5 }),
      spread: fc.oneof(fc.integer({ min: 0, max: 10 }), fc.integer({ min: 10, max: 150 })),
    })
    .chain(({ windowDays, spread }) =>
      fc.record({
        windowDays: fc.constant(windowDays),
        specs: fc.array(
          fc.record({
            id: fc.uuid(),
            day: fc.integer({ min: 0, max: spread }),
            amount: fc.constantFrom(...AMOUNTS),
            references: fc.uniqueArray(fc.constantFrom(...REFERENCES), { maxLength: 2 }),
            line: lineSpecArb(windowDays, echoes),
            reversal: reversals
              ? fc.oneof(
                  { weight: 3, arbitrary: fc.constant(null) },
                  {
                    weight: 1,
                    arbitrary: fc.record({
                      id: fc.uuid(),
                      lag: fc.integer({ min: 0, max: 20 }),
                      postedInError: fc.boolean(),
                      line: lineSpecArb(windowDays, echoes),
                    }),
                  },
                )
              : fc.constant(null),
          }),
          { maxLength: 30 },
        ),
        strays: fc.array(
          fc.record({
            id: fc.uuid(),
            amount: fc.constantFrom(...STRAY_AMOUNTS),
            day: fc.integer({ min: -10, max: spread + 10 }),
            references: fc.subarray([...REFERENCES], { maxLength: 1 }),
            spec: lineSpecArb(0, false),
          }),
          { maxLength: 4 },
        ),
        lineOrder: fc.nat(),
        entryOrder: fc.nat(),
      }),
    )
    .map(({ windowDays, specs, strays, lineOrder, entryOrder }) =>
      build(windowDays, specs, strays, lineOrder, entryOrder),
    )
    .filter((ledger) => {
      const ids = [...ledger.entries.map((e) => e.id), ...ledger.lines.map((l) => l.id)];
      return new Set(ids).size === ids.length;
    });
}

/** A deterministic shuffle driven by a seed (fast-check shrinks the seed, not the permutation). */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let state = (seed | 0) + 0x9e3779b9;
  for (let i = out.length - 1; i > 0; i -= 1) {
    state = Math.imul(state ^ (state >>> 15), 0x2c1b3c6d) + 0x6d2b79f5;
    const j = (state >>> 0) % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const BASE_DAY = dayOf('2025-11-01'); // dates run from November 2025 into spring 2026

function build(
  windowDays: number,
  specs: readonly EntrySpec[],
  strays: readonly { id: string; amount: string; day: number; references: string[]; spec: LineSpec }[],
  lineOrder: number,
  entryOrder: number,
): Ledger {
  const entries: MatchableEntry[] = [];
  const lines: MatchableLine[] = [];
  const sourceOf = new Map<string, string | null>();
  const addLine = (entry: MatchableEntry, spec: LineSpec) => {
    if (spec.arrives) {
      lines.push({
        id: spec.id,
        postedOn: isoOf(dayOf(entry.valueDate) + spec.jitter),
        amount: entry.amount,
        description: descriptionOf(entry.references, spec),
      });
      sourceOf.set(spec.id, entry.id);
    }
    if (spec.echo) {
      const echo = { ...spec, ...spec.echo };
      lines.push({
        id: echo.id,
        postedOn: isoOf(dayOf(entry.valueDate) + echo.jitter),
        amount: entry.amount,
        description: descriptionOf(entry.references, echo),
      });
      sourceOf.set(echo.id, entry.id);
    }
  };
  for (const spec of specs) {
    const entry: MatchableEntry = {
      id: spec.id,
      valueDate: isoOf(BASE_DAY + spec.day),
      amount: penniesOf(spec.amount),
      references: spec.references,
      reversesEntryId: null,
    };
    entries.push(entry);
    if (!spec.reversal) {
      addLine(entry, spec.line);
      continue;
    }
    // A reversal is the mirror image, dated on or after the original, carrying the original's own reference.
    const reversal: MatchableEntry = {
      id: spec.reversal.id,
      valueDate: isoOf(BASE_DAY + spec.day + spec.reversal.lag),
      amount: penniesOf(negate(spec.amount)),
      references: spec.references.slice(0, 1),
      reversesEntryId: spec.id,
    };
    entries.push(reversal);
    // Posted in error: the money never moved, so neither has a bank line. Otherwise (a returned payment) each may.
    if (!spec.reversal.postedInError) {
      addLine(entry, spec.line);
      addLine(reversal, spec.reversal.line);
    }
  }
  for (const stray of strays) {
    lines.push({
      id: stray.id,
      postedOn: isoOf(BASE_DAY + stray.day),
      amount: penniesOf(stray.amount),
      description: descriptionOf(stray.references, stray.spec),
    });
    sourceOf.set(stray.id, null);
  }
  return { windowDays, entries: shuffled(entries, entryOrder), lines: shuffled(lines, lineOrder), sourceOf };
}

const ledgers = ledgerArb({ reversals: true, echoes: true });
/**
 * For "never guesses", every entry's payment shows at most once. A payment shown twice can rightly end up matched to
 * another entry: once its own entry is matched (say by reference), the second copy may be the one open candidate of
 * an equal entry nearby, and each being the other's only open candidate is exactly the documented rule.
 */
const ledgersWithoutEchoes = ledgerArb({ reversals: true, echoes: false });
const ledgersWithoutReversals = ledgerArb({ reversals: false, echoes: false });
const RUNS = { numRuns: 400 };

const run = (ledger: Ledger): AutoMatchResult => autoMatch(ledger.lines, ledger.entries, ledger.windowDays);

// ---------------------------------------------------------------------------------------------------------------

describe('the generated ledgers and bank exports', () => {
  it('are what they claim: lines within the window of their entry, quoting only their own entry’s references', () => {
    fc.assert(
      fc.property(ledgers, (ledger) => {
        const entryById = new Map(ledger.entries.map((e) => [e.id, e]));
        for (const line of ledger.lines) {
          const source = ledger.sourceOf.get(line.id);
          expect(source).not.toBeUndefined();
          if (source === null || source === undefined) {
            expect(
              ledger.entries.some((e) => isCandidate(line, e, ledger.windowDays)),
              'a stray line matches nothing',
            ).toBe(false);
            continue;
          }
          const entry = entryById.get(source)!;
          expect(isCandidate(line, entry, ledger.windowDays)).toBe(true);
          // Any entry whose reference the text quotes shares that reference with the line's own entry.
          for (const other of ledger.entries.filter((e) => quotesReferenceOf(line, e))) {
            const own = new Set(entry.references.map(plain));
            expect(
              other.references
                .map(plain)
                .some((r) => r.length >= REFERENCE_LENGTH_MIN && plain(line.description).includes(r) && own.has(r)),
            ).toBe(true);
          }
        }
        // Reversals as the ledger allows them: of an original that is not itself a reversal, at most once.
        const reversed = ledger.entries.filter((e) => e.reversesEntryId !== null).map((e) => e.reversesEntryId!);
        expect(new Set(reversed).size).toBe(reversed.length);
        for (const id of reversed) expect(entryById.get(id)?.reversesEntryId).toBeNull();
      }),
      RUNS,
    );
  });

  it('exercise every method, suggestions and unmatched leftovers', () => {
    const seen = { reference: 0, amount_date: 0, contra: 0, suggestions: 0, unmatchedLines: 0 };
    fc.assert(
      fc.property(ledgers, (ledger) => {
        const result = run(ledger);
        for (const m of result.matches) seen[m.method] += 1;
        seen.suggestions += result.suggestions.length;
        seen.unmatchedLines += ledger.lines.length - matchedIds(result).lines.size;
      }),
      { numRuns: 200 },
    );
    for (const [what, count] of Object.entries(seen)) expect(count, what).toBeGreaterThan(20);
  });
});

describe('autoMatch over random ledgers', () => {
  it('never matches different amounts: lines and entries of a match sum alike; a contra is an entry and its reversal summing to zero', () => {
    fc.assert(
      fc.property(ledgers, (ledger) => {
        const lineById = new Map(ledger.lines.map((l) => [l.id, l]));
        const entryById = new Map(ledger.entries.map((e) => [e.id, e]));
        for (const m of run(ledger).matches) {
          const linesTotal = m.lineIds.reduce((acc, id) => acc + lineById.get(id)!.amount, 0n);
          const entriesTotal = m.entryIds.reduce((acc, id) => acc + entryById.get(id)!.amount, 0n);
          expect(linesTotal, keyOf(m)).toBe(entriesTotal);
          if (m.method === 'contra') {
            expect(m.lineIds).toEqual([]);
            expect(m.entryIds).toHaveLength(2);
            expect(entriesTotal).toBe(0n);
            const [a, b] = m.entryIds.map((id) => entryById.get(id)!);
            expect(a!.reversesEntryId === b!.id || b!.reversesEntryId === a!.id, 'one reverses the other').toBe(true);
          } else {
            expect(m.lineIds).toHaveLength(1);
            expect(m.entryIds).toHaveLength(1);
            expect(lineById.get(m.lineIds[0]!)!.amount).toBe(entryById.get(m.entryIds[0]!)!.amount);
          }
        }
      }),
      RUNS,
    );
  });

  it('matches each line and each entry at most once, and only ids it was given', () => {
    fc.assert(
      fc.property(ledgers, (ledger) => {
        const lineIds = new Set(ledger.lines.map((l) => l.id));
        const entryIds = new Set(ledger.entries.map((e) => e.id));
        const result = run(ledger);
        const usedLines = result.matches.flatMap((m) => m.lineIds);
        const usedEntries = result.matches.flatMap((m) => m.entryIds);
        expect(new Set(usedLines).size).toBe(usedLines.length);
        expect(new Set(usedEntries).size).toBe(usedEntries.length);
        for (const id of usedLines) expect(lineIds.has(id), id).toBe(true);
        for (const id of usedEntries) expect(entryIds.has(id), id).toBe(true);
      }),
      RUNS,
    );
  });

  describe('never guesses: every line is matched to the very entry it came from', () => {
    it.each([
      ['a ledger without reversals', ledgersWithoutReversals],
      ['a ledger with reversals (returned payments, entries posted in error)', ledgersWithoutEchoes],
    ])('%s', (_, arb) => {
      fc.assert(
        fc.property(arb, (ledger) => {
          const entryById = new Map(ledger.entries.map((e) => [e.id, e]));
          const lineById = new Map(ledger.lines.map((l) => [l.id, l]));
          for (const m of run(ledger).matches) {
            if (m.method === 'contra') continue;
            const [lineId] = m.lineIds;
            expect(ledger.sourceOf.get(lineId!), keyOf(m)).toBe(m.entryIds[0]);
            // A reference match is one whose text really quotes the entry's reference.
            if (m.method === 'reference')
              expect(quotesReferenceOf(lineById.get(lineId!)!, entryById.get(m.entryIds[0]!)!)).toBe(true);
          }
        }),
        RUNS,
      );
    });
  });

  it('a line and its entry, when each is the only candidate of the other, are always matched', () => {
    fc.assert(
      fc.property(ledgers, (ledger) => {
        const result = run(ledger);
        const matched = matchedIds(result);
        for (const line of ledger.lines) {
          const options = ledger.entries.filter((e) => isCandidate(line, e, ledger.windowDays));
          if (options.length !== 1) continue;
          if (ledger.lines.filter((l) => isCandidate(l, options[0]!, ledger.windowDays)).length !== 1) continue;
          expect(matched.lines.has(line.id), line.id).toBe(true);
          expect(matched.entries.has(options[0]!.id), options[0]!.id).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it('is idempotent: run again on what is left unmatched, it matches nothing and suggests the same', () => {
    fc.assert(
      fc.property(ledgers, (ledger) => {
        const first = run(ledger);
        const matched = matchedIds(first);
        const lines = ledger.lines.filter((l) => !matched.lines.has(l.id));
        const entries = ledger.entries.filter((e) => !matched.entries.has(e.id));
        const second = autoMatch(lines, entries, ledger.windowDays);
        expect(second.matches).toEqual([]);
        expect(suggestionKeys(second)).toEqual(suggestionKeys(first));
      }),
      RUNS,
    );
  });

  it('does not depend on the order of the lines or of the entries', () => {
    fc.assert(
      fc.property(ledgers, fc.nat(), fc.nat(), (ledger, lineSeed, entrySeed) => {
        const first = run(ledger);
        const again = autoMatch(
          shuffled(ledger.lines, lineSeed),
          shuffled(ledger.entries, entrySeed),
          ledger.windowDays,
        );
        expect(matchKeys(again)).toEqual(matchKeys(first));
        expect(suggestionKeys(again)).toEqual(suggestionKeys(first));
      }),
      RUNS,
    );
  });

  it('matches only lines and entries dated at most windowDays apart', () => {
    fc.assert(
      fc.property(ledgers, (ledger) => {
        const lineById = new Map(ledger.lines.map((l) => [l.id, l]));
        const entryById = new Map(ledger.entries.map((e) => [e.id, e]));
        for (const m of run(ledger).matches) {
          for (const lineId of m.lineIds) {
            for (const entryId of m.entryIds) {
              const apart = Math.abs(dayOf(lineById.get(lineId)!.postedOn) - dayOf(entryById.get(entryId)!.valueDate));
              expect(apart, keyOf(m)).toBeLessThanOrEqual(ledger.windowDays);
            }
          }
        }
      }),
      RUNS,
    );
  });

  it('suggests exactly the unmatched lines with two or more unmatched candidates, listing those candidates', () => {
    fc.assert(
      fc.property(ledgers, (ledger) => {
        const result = run(ledger);
        const matched = matchedIds(result);
        const lineById = new Map(ledger.lines.map((l) => [l.id, l]));
        const entryById = new Map(ledger.entries.map((e) => [e.id, e]));
        for (const s of result.suggestions) {
          expect(matched.lines.has(s.lineId)).toBe(false);
          expect(s.entryIds.length).toBeGreaterThanOrEqual(2);
          expect(new Set(s.entryIds).size).toBe(s.entryIds.length);
          for (const entryId of s.entryIds) {
            expect(matched.entries.has(entryId)).toBe(false);
            expect(isCandidate(lineById.get(s.lineId)!, entryById.get(entryId)!, ledger.windowDays)).toBe(true);
          }
        }
        // And none is missing: the expected suggestions, by brute force.
        const expected = ledger.lines
          .filter((l) => !matched.lines.has(l.id))
          .map((l) => ({
            lineId: l.id,
            entryIds: ledger.entries
              .filter((e) => !matched.entries.has(e.id) && isCandidate(l, e, ledger.windowDays))
              .map((e) => e.id),
          }))
          .filter((s) => s.entryIds.length > 1);
        expect(suggestionKeys(result)).toEqual(suggestionKeys({ matches: [], suggestions: expected }));
        expect(new Set(result.suggestions.map((s) => s.lineId)).size).toBe(result.suggestions.length);
      }),
      RUNS,
    );
  });

  it('agrees with a brute-force reading of the doc comment', () => {
    fc.assert(
      fc.property(ledgers, (ledger) => {
        expect(matchKeys(run(ledger))).toEqual(referenceAutoMatch(ledger.lines, ledger.entries, ledger.windowDays));
      }),
      { numRuns: 500 },
    );
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Worked examples

const E1 = '0b5e7c1a-0000-4000-8000-000000000001';
const E2 = '0b5e7c1a-0000-4000-8000-000000000002';
const L1 = '5f1a2b3c-0000-4000-8000-000000000001';
const L2 = '5f1a2b3c-0000-4000-8000-000000000002';

const entry = (
  id: string,
  valueDate: string,
  amount: string,
  references: string[] = [],
  reversesEntryId: string | null = null,
): MatchableEntry => ({
  id,
  valueDate,
  amount: penniesOf(amount),
  references,
  reversesEntryId,
});
const line = (id: string, postedOn: string, amount: string, description = 'FASTER PAYMENT'): MatchableLine => ({
  id,
  postedOn,
  amount: penniesOf(amount),
  description,
});

describe('autoMatch: worked examples', () => {
  it('two equal entries, the line quoting one’s reference: matched by reference to that one', () => {
    const entries = [
      entry(E1, '2026-01-12', '-250.00', ['INV-2026-014']),
      entry(E2, '2026-01-12', '-250.00', ['INV-2026-015']),
    ];
    const result = autoMatch([line(L1, '2026-01-13', '-250.00', 'FPO Cwmni Gofal inv 2026 014')], entries, 3);
    expect(result).toEqual({ matches: [{ method: 'reference', lineIds: [L1], entryIds: [E1] }], suggestions: [] });
    // The same with the entries the other way round.
    expect(
      autoMatch([line(L1, '2026-01-13', '-250.00', 'FPO Cwmni Gofal inv 2026 014')], [...entries].reverse(), 3),
    ).toEqual(result);
  });

  it('two equal candidates and no reference: no match, one suggestion naming both', () => {
    const entries = [entry(E2, '2026-01-12', '100.00'), entry(E1, '2026-01-12', '100.00')];
    const result = autoMatch([line(L1, '2026-01-12', '100.00', 'BACS WXM')], entries, 3);
    expect(result.matches).toEqual([]);
    expect(result.suggestions).toHaveLength(1);
    expect(result.suggestions[0]!.lineId).toBe(L1);
    expect([...result.suggestions[0]!.entryIds].sort(byText)).toEqual([E1, E2]);
  });

  it('a reference too short to look for does not decide: "A1" is ignored', () => {
    const entries = [entry(E1, '2026-01-12', '100.00', ['A1']), entry(E2, '2026-01-12', '100.00')];
    const result = autoMatch([line(L1, '2026-01-12', '100.00', 'A1')], entries, 3);
    expect(result.matches).toEqual([]);
    expect(result.suggestions).toHaveLength(1);
  });

  it('an entry and its reversal with no bank lines cancel out as one contra', () => {
    const entries = [
      entry(E2, '2026-02-03', '36.40', ['WXM-0003'], E1),
      entry(E1, '2026-02-01', '-36.40', ['WXM-0003']),
    ];
    expect(autoMatch([], entries, 3)).toEqual({
      matches: [{ method: 'contra', lineIds: [], entryIds: [E1, E2] }],
      suggestions: [],
    });
  });

  it('no contra while either entry has a candidate line: the line takes the original, the reversal stays open', () => {
    const entries = [entry(E1, '2026-02-01', '-36.40'), entry(E2, '2026-02-03', '36.40', [], E1)];
    const result = autoMatch([line(L1, '2026-02-02', '-36.40')], entries, 3);
    expect(result).toEqual({ matches: [{ method: 'amount_date', lineIds: [L1], entryIds: [E1] }], suggestions: [] });
  });

  it('a line three days from its entry (across a month end) matches with windowDays 3, not with 2', () => {
    const entries = [entry(E1, '2026-02-27', '12.50')];
    const lines = [line(L1, '2026-03-02', '12.50')];
    expect(autoMatch(lines, entries, 3)).toEqual({
      matches: [{ method: 'amount_date', lineIds: [L1], entryIds: [E1] }],
      suggestions: [],
    });
    expect(autoMatch(lines, entries, 2)).toEqual({ matches: [], suggestions: [] });
    // Either way round in time, and 3 is the default window.
    expect(DEFAULT_WINDOW_DAYS).toBe(3);
    expect(autoMatch([line(L1, '2026-02-24', '12.50')], entries).matches).toHaveLength(1);
    expect(autoMatch([line(L1, '2026-02-23', '12.50')], entries).matches).toHaveLength(0);
  });

  it('a reference match makes another pair unique, matched in the same run; a second run adds nothing', () => {
    const entries = [entry(E1, '2026-01-05', '250.00', ['CCBC/DP/0042']), entry(E2, '2026-01-05', '250.00')];
    const lines = [
      line(L2, '2026-01-06', '250.00', 'BACS CONWY CBC'),
      line(L1, '2026-01-05', '250.00', 'BACS ccbc dp 0042'),
    ];
    // Without the reference, neither line can be told apart.
    const blind = autoMatch(
      lines,
      entries.map((e) => ({ ...e, references: [] })),
      3,
    );
    expect(blind.matches).toEqual([]);
    expect(blind.suggestions).toHaveLength(2);

    const result = autoMatch(lines, entries, 3);
    expect(matchKeys(result)).toEqual(
      [
        keyOf({ method: 'reference', lineIds: [L1], entryIds: [E1] }),
        keyOf({ method: 'amount_date', lineIds: [L2], entryIds: [E2] }),
      ].sort(byText),
    );
    expect(result.suggestions).toEqual([]);
    const matched = matchedIds(result);
    const second = autoMatch(
      lines.filter((l) => !matched.lines.has(l.id)),
      entries.filter((e) => !matched.entries.has(e.id)),
      3,
    );
    expect(second).toEqual({ matches: [], suggestions: [] });
  });

  it('normaliseReference ignores case, spaces, punctuation and accents', () => {
    expect(normaliseReference('wxm-0001')).toBe('WXM0001');
    expect(normaliseReference('DP WXM 0001').includes(normaliseReference('wxm-0001'))).toBe(true);
    expect(normaliseReference('Ŵxm/0001 – Gŵyl')).toBe('WXM0001GWYL');
    fc.assert(
      fc.property(fc.constantFrom(...REFERENCES), fc.nat(), (reference, style) => {
        expect(normaliseReference(written(reference, style))).toBe(plain(reference));
      }),
      { numRuns: 100 },
    );
  });
});
