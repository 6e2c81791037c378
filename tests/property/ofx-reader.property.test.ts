import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cleanDescription } from '../../src/domain/bank-files/bank-file';
import { decodeBankFile } from '../../src/domain/bank-files/decode';
import { readOfxBankFile } from '../../src/domain/bank-files/ofx-file';
import { readOfxDocument } from '../../src/domain/bank-files/ofx-reader';
import { DomainError } from '../../src/domain/errors';
import { type Money, formatMoney } from '../../src/domain/money';

/**
 * OFX files made from random statements, written the ways banks write them: OFX 1 (SGML, with and without the
 * optional end tags, CRLF or LF, "&" escaped or not) and OFX 2 (XML, names and memos in CDATA or as entities, Welsh
 * letters and £ as written or as character references). Each must read back to exactly the statement it was made
 * from. Random text, random bytes and damaged files must be read or refused with invalid-bank-file, never anything
 * else.
 */

const DAY_MS = 86_400_000;
const FIRST_DAY = Date.UTC(2020, 0, 1) / DAY_MS;
const LAST_DAY = Date.UTC(2030, 11, 31) / DAY_MS;

// ---------------------------------------------------------------------------------------------------------------
// Small helpers, written independently of the code under test

const isoOf = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);
const ofxDateOf = (day: number): string => isoOf(day).replace(/-/g, '');
/** Pence as pounds with two decimals: -1250 → "-12.50". */
function poundsOf(pence: number): string {
  const whole = Math.abs(pence);
  return `${pence < 0 ? '-' : ''}${Math.floor(whole / 100)}.${String(whole % 100).padStart(2, '0')}`;
}
const money = (value: Money | null): string | null => (value === null ? null : formatMoney(value));

// ---------------------------------------------------------------------------------------------------------------
// Random statements

/** Letters a description may hold: Welsh letters, £ and €, and everything markup has to escape. */
const LETTERS = [
  ...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789',
  ...'ŵŷŴŶâêîôûẁẃẅỳÂÔ£€—’',
  ...' &<>"\';#,.-/()[]!?=',
];
const text = fc.string({ unit: fc.constantFrom(...LETTERS), maxLength: 24 });

/** How a bank writes an amount it means exactly: plainly, with a "+", extra zeros or a decimal comma. */
type AmountStyle = 'plain' | 'plus' | 'zeros' | 'comma';

interface Transaction {
  day: number;
  pence: number;
  name: string;
  memo: string | null;
  amountStyle: AmountStyle;
}

interface Statement {
  kind: 'bank' | 'card';
  transactions: Transaction[];
  /** null: no LEDGERBAL; 'empty': a LEDGERBAL with an empty BALAMT. */
  closingPence: number | null | 'empty';
  newestFirst: boolean;
}

const transaction = fc.record({
  day: fc.integer({ min: FIRST_DAY, max: LAST_DAY }),
  pence: fc.integer({ min: -99_999_999, max: 99_999_999 }).filter((p) => p !== 0),
  name: text,
  memo: fc.option(text),
  amountStyle: fc.constantFrom<AmountStyle>('plain', 'plus', 'zeros', 'comma'),
});

const statement: fc.Arbitrary<Statement> = fc.record({
  kind: fc.constantFrom<'bank' | 'card'>('bank', 'card'),
  // Days from a short span as well as a long one, so same-day lines (the ambiguous order) are common.
  transactions: fc
    .oneof(
      fc.array(transaction, { minLength: 1, maxLength: 12 }),
      fc.array(
        transaction.map((t) => ({ ...t, day: FIRST_DAY + (t.day % 3) })),
        { minLength: 1, maxLength: 12 },
      ),
    )
    .map((list) => [...list].sort((a, b) => a.day - b.day)),
  closingPence: fc.oneof(
    fc.integer({ min: -99_999_999, max: 99_999_999 }),
    fc.constant(null),
    fc.constant<'empty'>('empty'),
  ),
  newestFirst: fc.boolean(),
});

function amountText(pence: number, style: AmountStyle): string {
  const pounds = poundsOf(pence);
  if (style === 'plus' && pence > 0) return `+${pounds}`;
  if (style === 'zeros') return `${pounds}000`;
  if (style === 'comma') return pounds.replace('.', ',');
  return pounds;
}

// ---------------------------------------------------------------------------------------------------------------
// Writing a statement as a bank would

/** A file as lines, remembering the line of each <STMTTRN> (1-based), in file order. */
interface Rendered {
  text: string;
  transactionLines: number[];
}

/** The elements of a statement, as [name, value] for values and [name, children] for aggregates. */
type Node = [string, string | null] | [string, Node[]];

function statementNodes(s: Statement): { nodes: Node; inFileOrder: Transaction[] } {
  const inFileOrder = s.newestFirst ? [...s.transactions].reverse() : s.transactions;
  const card = s.kind === 'card';
  const ledger: Node[] =
    s.closingPence === null
      ? []
      : [
          [
            'LEDGERBAL',
            [
              ['BALAMT', s.closingPence === 'empty' ? null : poundsOf(s.closingPence)],
              ['DTASOF', '20301231'],
            ],
          ],
        ];
  const transactions: Node[] = inFileOrder.map((t, i) => [
    'STMTTRN',
    [
      ['TRNTYPE', t.pence < 0 ? 'DEBIT' : 'CREDIT'],
      ['DTPOSTED', `${ofxDateOf(t.day)}120000.000[0:GMT]`],
      ['TRNAMT', amountText(t.pence, t.amountStyle)],
      ['FITID', `FIT${i}`],
      ['NAME', t.name],
      ...(t.memo === null ? [] : ([['MEMO', t.memo]] as Node[])),
    ],
  ]);
  const nodes: Node = [
    'OFX',
    [
      [
        'SIGNONMSGSRSV1',
        [
          [
            'SONRS',
            [
              [
                'STATUS',
                [
                  ['CODE', '0'],
                  ['SEVERITY', 'INFO'],
                ],
              ],
              ['LANGUAGE', 'ENG'],
            ],
          ],
        ],
      ],
      [
        card ? 'CREDITCARDMSGSRSV1' : 'BANKMSGSRSV1',
        [
          [
            card ? 'CCSTMTTRNRS' : 'STMTTRNRS',
            [
              ['TRNUID', '1'],
              [
                card ? 'CCSTMTRS' : 'STMTRS',
                [
                  ['CURDEF', 'GBP'],
                  [card ? 'CCACCTFROM' : 'BANKACCTFROM', [['ACCTID', '12345678']]],
                  ['BANKTRANLIST', [['DTSTART', '20200101'], ['DTEND', '20301231'], ...transactions]],
                  ...ledger,
                ],
              ],
            ],
          ],
        ],
      ],
    ],
  ];
  return { nodes, inFileOrder };
}

interface SgmlStyle {
  newline: '\r\n' | '\n';
  indent: string;
  /** Whether each value in turn gets its optional end tag (cycled). */
  endTags: boolean[];
  /** OFX 1 asks for "&amp;", but many banks write a bare "&". */
  bareAmpersands: boolean;
}

function renderSgml(root: Node, style: SgmlStyle): Rendered {
  const lines = ['OFXHEADER:100', 'DATA:OFXSGML', 'VERSION:102', 'SECURITY:NONE', 'ENCODING:USASCII'];
  lines.push('CHARSET:1252', 'COMPRESSION:NONE', 'OLDFILEUID:NONE', 'NEWFILEUID:NONE', '');
  const transactionLines: number[] = [];
  let values = 0;
  const escape = (value: string) =>
    (style.bareAmpersands && !value.includes(';') ? value : value.replace(/&/g, '&amp;'))
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;');
  const visit = ([name, content]: Node, depth: number) => {
    const pad = style.indent.repeat(depth);
    if (name === 'STMTTRN') transactionLines.push(lines.length + 1);
    if (Array.isArray(content)) {
      lines.push(`${pad}<${name}>`);
      content.forEach((child) => visit(child, depth + 1));
      lines.push(`${pad}</${name}>`);
    } else {
      const endTag = style.endTags[values++ % style.endTags.length] ? `</${name}>` : '';
      lines.push(`${pad}<${name}>${escape(content ?? '')}${endTag}`);
    }
  };
  visit(root, 0);
  return { text: lines.join(style.newline) + style.newline, transactionLines };
}

interface XmlStyle {
  newline: '\r\n' | '\n';
  indent: string;
  /** How each value in turn is written (cycled): as text with entities, in CDATA, or as character references. */
  valueStyles: ('entities' | 'cdata' | 'references')[];
  /** Empty values as <X/>, or as <X></X>. */
  selfClosing: boolean;
}

function renderXml(root: Node, style: XmlStyle): Rendered {
  const lines = [
    '<?xml version="1.0" encoding="UTF-8" standalone="no"?>',
    '<?OFX OFXHEADER="200" VERSION="211" SECURITY="NONE" OLDFILEUID="NONE" NEWFILEUID="NONE"?>',
  ];
  const transactionLines: number[] = [];
  let values = 0;
  const entities = (value: string) =>
    value
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&apos;');
  const references = (value: string) =>
    [...value]
      .map((c, i) => {
        const code = c.codePointAt(0)!;
        if (code < 0x80 && !'&<>"\''.includes(c)) return c;
        return i % 2 === 0 ? `&#${code};` : `&#x${code.toString(16).toUpperCase()};`;
      })
      .join('');
  const write = (value: string) => {
    const chosen = style.valueStyles[values++ % style.valueStyles.length];
    if (chosen === 'cdata' && !value.includes(']]>')) return `<![CDATA[${value}]]>`;
    return chosen === 'references' ? references(value) : entities(value);
  };
  const visit = ([name, content]: Node, depth: number) => {
    const pad = style.indent.repeat(depth);
    if (name === 'STMTTRN') transactionLines.push(lines.length + 1);
    if (Array.isArray(content)) {
      lines.push(`${pad}<${name}>`);
      content.forEach((child) => visit(child, depth + 1));
      lines.push(`${pad}</${name}>`);
    } else if (content === null || content === '') {
      lines.push(style.selfClosing ? `${pad}<${name}/>` : `${pad}<${name}></${name}>`);
    } else {
      lines.push(`${pad}<${name}>${write(content)}</${name}>`);
    }
  };
  visit(root, 0);
  return { text: lines.join(style.newline) + style.newline, transactionLines };
}

const newline = fc.constantFrom<'\r\n' | '\n'>('\r\n', '\n');
const indent = fc.constantFrom('', '  ', '\t');
const sgmlStyle: fc.Arbitrary<SgmlStyle> = fc.record({
  newline,
  indent,
  endTags: fc.oneof(
    fc.constant<boolean[]>([true]),
    fc.constant<boolean[]>([false]),
    fc.array(fc.boolean(), { minLength: 1, maxLength: 16 }),
  ),
  bareAmpersands: fc.boolean(),
});
const xmlStyle: fc.Arbitrary<XmlStyle> = fc.record({
  newline,
  indent,
  valueStyles: fc.array(fc.constantFrom<'entities' | 'cdata' | 'references'>('entities', 'cdata', 'references'), {
    minLength: 1,
    maxLength: 8,
  }),
  selfClosing: fc.boolean(),
});

// ---------------------------------------------------------------------------------------------------------------
// What the file must read back to

function expectedOf(s: Statement, rendered: Rendered) {
  const { inFileOrder } = statementNodes(s);
  const rows = inFileOrder.map((t, i) => [
    isoOf(t.day),
    poundsOf(t.pence),
    cleanDescription([...new Set([t.name.trim(), ...(t.memo === null ? [] : [t.memo.trim()])])].join(' ')),
    `FIT${i}`,
    rendered.transactionLines[i],
    null,
  ]);
  // Oldest first; a file whose first and last lines share a day is taken in the order written.
  const first = inFileOrder[0]!;
  const last = inFileOrder[inFileOrder.length - 1]!;
  const oldestFirst = s.newestFirst && first.day > last.day ? [...rows].reverse() : rows;
  const total = s.transactions.reduce((sum, t) => sum + t.pence, 0);
  const closing = typeof s.closingPence === 'number' ? s.closingPence : null;
  return {
    rows: oldestFirst,
    opening: closing === null ? null : poundsOf(closing - total),
    closing: closing === null ? null : poundsOf(closing),
  };
}

function readBack(text: string) {
  const file = readOfxBankFile(text);
  return {
    rows: file.lines.map((l) => [
      l.postedOn,
      formatMoney(l.amount),
      l.description,
      l.bankTransactionId,
      l.lineNumber,
      money(l.runningBalance),
    ]),
    opening: money(file.openingBalance),
    closing: money(file.closingBalance),
  };
}

describe('random statements written as OFX read back exactly', () => {
  it('as OFX 1 (SGML)', () => {
    fc.assert(
      fc.property(statement, sgmlStyle, (s, style) => {
        const rendered = renderSgml(statementNodes(s).nodes, style);
        expect(readBack(rendered.text), rendered.text).toEqual(expectedOf(s, rendered));
      }),
      { numRuns: 300 },
    );
  });

  it('as OFX 2 (XML)', () => {
    fc.assert(
      fc.property(statement, xmlStyle, (s, style) => {
        const rendered = renderXml(statementNodes(s).nodes, style);
        expect(readBack(rendered.text), rendered.text).toEqual(expectedOf(s, rendered));
      }),
      { numRuns: 300 },
    );
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Anything at all: read, or refused with invalid-bank-file

const FRAGMENTS = [
  '<OFX>',
  '</OFX>',
  '<BANKMSGSRSV1>',
  '<STMTTRNRS>',
  '<STMTRS>',
  '<CURDEF>GBP',
  '<CURDEF>',
  '<BANKTRANLIST>',
  '</BANKTRANLIST>',
  '<STMTTRN>',
  '</STMTTRN>',
  '<TRNAMT>-1.00',
  '<TRNAMT>',
  '<DTPOSTED>20261001',
  '<FITID>1',
  '<NAME>',
  '<LEDGERBAL>',
  '<BALAMT>',
  '<BALAMT/>',
  '<CURRENCY><CURSYM>EUR</CURRENCY>',
  '<INVSTMTMSGSRSV1>',
  '<![CDATA[',
  ']]>',
  '<!--',
  '-->',
  '<?',
  '?>',
  '&amp;',
  '&#',
  '&#x1F600;',
  '&',
  '<',
  '>',
  '/',
  '</',
  '\r\n',
  '\n',
  ' ',
];
const OPENING = 'OFXHEADER:100\nDATA:OFXSGML\n\n<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>GBP<BANKTRANLIST>';

/** Text that looks like OFX: its pieces in random order, often after a plausible opening. */
const ofxLike = fc
  .tuple(
    fc.boolean(),
    fc.array(fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ maxLength: 6 })), { maxLength: 60 }),
  )
  .map(([opening, pieces]) => (opening ? OPENING : '') + pieces.join(''));

/** A valid file with a few characters changed, dropped or added. */
const damaged = fc
  .tuple(
    fc.oneof(
      fc.tuple(statement, sgmlStyle).map(([s, style]) => renderSgml(statementNodes(s).nodes, style).text),
      fc.tuple(statement, xmlStyle).map(([s, style]) => renderXml(statementNodes(s).nodes, style).text),
    ),
    fc.array(
      fc.tuple(fc.nat(), fc.nat({ max: 3 }), fc.constantFrom('', '<', '>', '/', '&', '-', '0', '.', ',', 'x', '\n')),
      { minLength: 1, maxLength: 4 },
    ),
  )
  .map(([file, edits]) =>
    edits.reduce((t, [at, drop, insert]) => {
      const i = at % (t.length + 1);
      return t.slice(0, i) + insert + t.slice(i + drop);
    }, file),
  );

const anything = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 400 }),
  fc.string({ unit: 'binary', maxLength: 400 }),
  fc.uint8Array({ maxLength: 400 }).map(decodeBankFile),
  ofxLike,
  damaged,
);

/** Either a reading or a short invalid-bank-file refusal; anything else thrown fails the property. */
function readOrRefuse(read: () => unknown): void {
  try {
    read();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    const refusal = error as DomainError;
    expect(refusal.code).toBe('invalid-bank-file');
    expect(String(refusal.extra['reason']).length).toBeLessThanOrEqual(200);
  }
}

describe('anything at all is read or refused with invalid-bank-file', () => {
  it('by the OFX reader and by the statement reader', () => {
    fc.assert(
      fc.property(anything, (input) => {
        readOrRefuse(() => readOfxDocument(input));
        readOrRefuse(() => readOfxBankFile(input));
      }),
      { numRuns: 2000 },
    );
  });
});
