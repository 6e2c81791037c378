import { describe, expect, it } from 'vitest';
import {
  ELEMENTS_MAX_COUNT,
  NESTING_MAX_LEVELS,
  type OfxElement,
  TAG_NAME_MAX_CHARS,
  childrenNamed,
  readOfxDocument,
} from '../../src/domain/bank-files/ofx-reader';
import { readOfxBankFile } from '../../src/domain/bank-files/ofx-file';
import { DomainError } from '../../src/domain/errors';

/**
 * The OFX reader on its own: OFX 1 (SGML) and OFX 2 (XML) as written by banks, each way it refuses a file, and files
 * made to be slow to read, each of which must be read or refused well under a second.
 */

// ---------------------------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------------------------

/** An element and what is under it as one line: "A(B=x C=)" for A holding B (value x) and an empty C. */
function outline(element: OfxElement): string {
  if (element.children.length > 0) return `${element.name}(${element.children.map(outline).join(' ')})`;
  return `${element.name}=${element.text.trim()}`;
}

const rootOf = (text: string) => readOfxDocument(text).root;

/** The only element with a name, anywhere under an element. */
function find(element: OfxElement, name: string): OfxElement {
  const found: OfxElement[] = [];
  const visit = (e: OfxElement) => {
    if (e.name === name) found.push(e);
    e.children.forEach(visit);
  };
  visit(element);
  expect(found, name).toHaveLength(1);
  return found[0]!;
}

function refusalOf(run: () => unknown): { line: unknown; reason: string } {
  let thrown: unknown = null;
  try {
    run();
  } catch (error) {
    thrown = error;
  }
  expect(thrown, 'expected the file to be refused').toBeInstanceOf(DomainError);
  const error = thrown as DomainError;
  expect(error.code).toBe('invalid-bank-file');
  const reason = String(error.extra['reason']);
  expect(reason.length).toBeLessThanOrEqual(200);
  return { line: error.extra['line'], reason };
}

const SGML_HEADER = [
  'OFXHEADER:100',
  'DATA:OFXSGML',
  'VERSION:102',
  'SECURITY:NONE',
  'ENCODING:USASCII',
  'CHARSET:1252',
  'COMPRESSION:NONE',
  'OLDFILEUID:NONE',
  'NEWFILEUID:NONE',
  '',
  '',
].join('\r\n');

const XML_HEADER =
  '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n' +
  '<?OFX OFXHEADER="200" VERSION="211" SECURITY="NONE" OLDFILEUID="NONE" NEWFILEUID="NONE"?>\n';

// ---------------------------------------------------------------------------------------------------------------
// OFX 1 (SGML)
// ---------------------------------------------------------------------------------------------------------------

describe('readOfxDocument: OFX 1 (SGML)', () => {
  it('reads the header lines before <OFX>', () => {
    const { header } = readOfxDocument(`${SGML_HEADER}<OFX>\r\n</OFX>\r\n`);
    expect(Object.fromEntries(header)).toEqual({
      OFXHEADER: '100',
      DATA: 'OFXSGML',
      VERSION: '102',
      SECURITY: 'NONE',
      ENCODING: 'USASCII',
      CHARSET: '1252',
      COMPRESSION: 'NONE',
      OLDFILEUID: 'NONE',
      NEWFILEUID: 'NONE',
    });
  });

  it('ends a value without its end tag at the next tag, and keeps the aggregates', () => {
    const root = rootOf(
      `${SGML_HEADER}<OFX>\r\n<STMTTRN>\r\n<TRNTYPE>DEBIT\r\n<TRNAMT>-12.00\r\n<NAME>Gofal Môn\r\n</STMTTRN>\r\n</OFX>\r\n`,
    );
    expect(outline(root)).toBe('OFX(STMTTRN(TRNTYPE=DEBIT TRNAMT=-12.00 NAME=Gofal Môn))');
    expect(find(root, 'TRNAMT').text).toBe('-12.00\r\n');
  });

  it('lets one end tag close every element opened after its start tag', () => {
    const root = rootOf('<OFX><SONRS><STATUS><CODE>0<SEVERITY>INFO</STATUS><LANGUAGE>ENG</SONRS><X>1</OFX>');
    expect(outline(root)).toBe('OFX(SONRS(STATUS(CODE=0 SEVERITY=INFO) LANGUAGE=ENG) X=1)');
  });

  it('reads a value whether or not its optional end tag is there', () => {
    const root = rootOf('<OFX><STMTTRN><TRNAMT>-12.00</TRNAMT><FITID>A1\n<NAME>X</NAME>\n</STMTTRN></OFX>');
    expect(outline(root)).toBe('OFX(STMTTRN(TRNAMT=-12.00 FITID=A1 NAME=X))');
  });

  it('reads an element with no text as empty, not as holding what follows it', () => {
    const root = rootOf('<OFX>\n<LEDGERBAL>\n<BALAMT>\n<DTASOF>20261031\n</LEDGERBAL>\n<MEMO>\n</OFX>\n');
    expect(outline(root)).toBe('OFX(LEDGERBAL(BALAMT= DTASOF=20261031) MEMO=)');
    expect(find(root, 'BALAMT').text).toBe('');
  });

  it('moves what several empty elements in a row seemed to hold back to their parent, in file order', () => {
    const root = rootOf('<OFX><A><B><C><D>1<E>2</A><F>3</OFX>');
    expect(outline(root)).toBe('OFX(A(B= C= D=1 E=2) F=3)');
  });

  it('gives each element the line of its start tag', () => {
    const root = rootOf(`${SGML_HEADER}<OFX>\r\n<STMTTRN>\r\n<TRNAMT>-1.00\r\n</STMTTRN>\r\n<STMTTRN>\r\n</OFX>`);
    expect(root.line).toBe(11);
    expect(childrenNamed(root, 'STMTTRN').map((e) => e.line)).toEqual([12, 15]);
    expect(find(root, 'TRNAMT').line).toBe(13);
  });

  it('keeps an unescaped "&" and a "<" that starts no tag as text', () => {
    const root = rootOf('<OFX><NAME>A & B Cyf<MEMO><5 visits & 2 < 3; a <b</OFX>');
    expect(outline(root)).toBe('OFX(NAME=A & B Cyf MEMO=<5 visits & 2 < 3; a <b)');
  });

  it('reads tag names in any case, as OFX writes them (upper case)', () => {
    expect(outline(rootOf('<ofx><StmtTrn><trnamt>-1.00</STMTTRN></Ofx>'))).toBe('OFX(STMTTRN(TRNAMT=-1.00))');
  });
});

// ---------------------------------------------------------------------------------------------------------------
// OFX 2 (XML)
// ---------------------------------------------------------------------------------------------------------------

describe('readOfxDocument: OFX 2 (XML)', () => {
  it('reads the attributes of the <?OFX ?> instruction as the header, past the <?xml ?> one', () => {
    const { header, root } = readOfxDocument(`${XML_HEADER}<OFX>\n  <CODE>0</CODE>\n</OFX>\n`);
    expect(Object.fromEntries(header)).toEqual({
      OFXHEADER: '200',
      VERSION: '211',
      SECURITY: 'NONE',
      OLDFILEUID: 'NONE',
      NEWFILEUID: 'NONE',
    });
    expect(outline(root)).toBe('OFX(CODE=0)');
    expect(root.line).toBe(3);
  });

  it('reads CDATA as written, entities and all, with the text around it', () => {
    const root = rootOf(
      `${XML_HEADER}<OFX><NAME><![CDATA[A & B]]></NAME><MEMO>inv &amp; <![CDATA[<77> &amp; ]]]]>x</MEMO></OFX>`,
    );
    expect(find(root, 'NAME').text).toBe('A & B');
    expect(find(root, 'MEMO').text).toBe('inv & <77> &amp; ]]x');
  });

  it('reads empty elements written every way', () => {
    const root = rootOf(
      '<OFX><LEDGERBAL><BALAMT/><DTASOF>1</DTASOF></LEDGERBAL><AVAILBAL><BALAMT></BALAMT></AVAILBAL>' +
        '<X><BALAMT  /></X><Y><BALAMT>   </BALAMT></Y></OFX>',
    );
    expect(outline(root)).toBe('OFX(LEDGERBAL(BALAMT= DTASOF=1) AVAILBAL(BALAMT=) X(BALAMT=) Y(BALAMT=))');
    expect(find(find(root, 'Y'), 'BALAMT').text).toBe('');
  });

  it('skips comments, processing instructions and declarations wherever they are', () => {
    const root = rootOf(
      '<!DOCTYPE OFX>\n<!-- <OFX> in a comment is not the root -->\n<OFX><!-- <STMTTRN> -->' +
        '<NAME>Gofal<!-- a note --> Cyf</NAME><?pi skipped?><MEMO>m</MEMO></OFX><!-- after -->\n',
    );
    expect(outline(root)).toBe('OFX(NAME=Gofal Cyf MEMO=m)');
  });

  it('decodes the XML entities, &nbsp; and numeric references, and leaves anything else as written', () => {
    const root = rootOf(
      '<OFX><A>&amp; &lt; &gt; &quot; &apos;</A><B>a&nbsp;b</B><C>&#163;5 &#xA3;6 &#xa3;7 &#373;</C>' +
        '<D>&copy; &amp &#0; &#xD800; &#x110000; &;</D></OFX>',
    );
    expect(find(root, 'A').text).toBe('& < > " \'');
    expect(find(root, 'B').text).toBe('a\u00a0b');
    expect(find(root, 'C').text).toBe('£5 £6 £7 ŵ');
    expect(find(root, 'D').text).toBe('&copy; &amp &#0; &#xD800; &#x110000; &;');
  });

  it('skips attributes, which OFX does not use', () => {
    expect(outline(rootOf('<OFX xmlns:ofx="http://ofx.net/ifx/2.0/ofx"><CODE id="1">0</CODE></OFX>'))).toBe(
      'OFX(CODE=0)',
    );
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Refusals
// ---------------------------------------------------------------------------------------------------------------

describe('readOfxDocument refuses what is not OFX, plainly', () => {
  it('a CSV, an HTML page or plain text: no <OFX> in it', () => {
    for (const text of [
      'Date,Description,Amount\n01/10/2026,WREXHAM CBC,100.00\n',
      '<html><body>Your session has expired</body></html>',
      '',
      '<OFXHEADER>100',
    ])
      expect(refusalOf(() => readOfxDocument(text))).toEqual({ line: null, reason: 'it has no bank statement in it' });
  });

  it('a spreadsheet, an archive, a PDF or other binary file', () => {
    const zip = 'PK\u0003\u0004\u0014\u0000\u0006\u0000<OFX>';
    expect(refusalOf(() => readOfxDocument(zip)).reason).toBe(
      'it is a ZIP archive (an Excel workbook is one), not an OFX file',
    );
    expect(refusalOf(() => readOfxDocument('\u00d0\u00cf\u0011\u00e0\u00a1\u00b1\u001a\u00e1')).reason).toBe(
      'it is an Excel or other Office file, not an OFX file',
    );
    expect(refusalOf(() => readOfxDocument('%PDF-1.7\n<OFX>')).reason).toBe('it is a PDF, not an OFX file');
    expect(refusalOf(() => readOfxDocument('\u0000<\u0000O\u0000F\u0000X\u0000>')).reason).toBe(
      'it is a binary file, not an OFX text file',
    );
  });

  it('a file cut short, naming the aggregate it ends in', () => {
    expect(refusalOf(() => rootOf('<OFX><BANKTRANLIST><STMTTRN><TRNAMT>-1.00</STMTTRN>\n'))).toEqual({
      line: null,
      reason: 'it is not a readable OFX file: it ends before </BANKTRANLIST>, as if it had been cut short',
    });
    expect(refusalOf(() => rootOf('<OFX><A>x')).reason).toBe(
      'it is not a readable OFX file: it ends before </OFX>, as if it had been cut short',
    );
    expect(refusalOf(() => rootOf('<OFX attr="x" <A>')).reason).toBe(
      'it is not a readable OFX file: its <OFX> tag is not finished',
    );
  });

  it('an end tag for an element that is not open, naming its line', () => {
    expect(refusalOf(() => rootOf('<OFX>\n<STMTTRN>\n</STMTTRN>\n</STMTTRN>\n</OFX>'))).toEqual({
      line: 4,
      reason: 'it is not a readable OFX file: </STMTTRN> closes an element that is not open',
    });
  });

  it('more after </OFX>', () => {
    expect(refusalOf(() => rootOf('<OFX></OFX>\n<OFX></OFX>'))).toEqual({
      line: 2,
      reason: 'it is not a readable OFX file: there is more after </OFX>',
    });
    expect(refusalOf(() => rootOf('<OFX></OFX></STMTTRN>')).reason).toMatch(/there is more after <\/OFX>$/);
    expect(outline(rootOf('<OFX></OFX>\n\u001a trailing text is ignored\n'))).toBe('OFX=');
  });

  it('text where an element should be', () => {
    expect(refusalOf(() => rootOf('<OFX>\n<A><B>1</B>\nloose text</A></OFX>'))).toEqual({
      line: 2,
      reason: 'it is not a readable OFX file: there is text where an element should be',
    });
    expect(refusalOf(() => rootOf('<OFX>loose<A>1</A></OFX>')).reason).toMatch(/text where an element should be$/);
  });

  it('a comment, CDATA section or processing instruction that is never closed', () => {
    expect(refusalOf(() => rootOf('<OFX>\n<!-- no end'))).toEqual({
      line: 2,
      reason: 'it is not a readable OFX file: a comment (<!--) is never closed',
    });
    expect(refusalOf(() => rootOf('<OFX><NAME><![CDATA[A & B</NAME></OFX>')).reason).toMatch(
      /a CDATA section is never closed$/,
    );
    expect(refusalOf(() => rootOf('<OFX><?OFX VERSION="211"</OFX>')).reason).toMatch(
      /a processing instruction \(<\?\) is never closed$/,
    );
  });

  it('a tag name longer than any OFX tag', () => {
    const name = 'A'.repeat(TAG_NAME_MAX_CHARS);
    expect(outline(rootOf(`<OFX><${name}>x</${name}></OFX>`))).toBe(`OFX(${name}=x)`);
    expect(refusalOf(() => rootOf(`<OFX><${name}B>x</OFX>`))).toEqual({
      line: 1,
      reason: `it is not a readable OFX file: a tag name is longer than ${TAG_NAME_MAX_CHARS} characters`,
    });
  });

  it('elements nested deeper than any statement', () => {
    const nested = (levels: number) => `<OFX>${'<A>'.repeat(levels - 1)}x${'</A>'.repeat(levels - 1)}</OFX>`;
    expect(rootOf(nested(NESTING_MAX_LEVELS)).name).toBe('OFX');
    expect(refusalOf(() => rootOf(nested(NESTING_MAX_LEVELS + 1))).reason).toBe(
      `it is not a readable OFX file: it nests elements more than ${NESTING_MAX_LEVELS} deep`,
    );
  });

  it('more elements than any statement has', () => {
    expect(rootOf(`<OFX>${'<A/>'.repeat(ELEMENTS_MAX_COUNT - 1)}</OFX>`).children).toHaveLength(ELEMENTS_MAX_COUNT - 1);
    expect(refusalOf(() => rootOf(`<OFX>${'<A/>'.repeat(ELEMENTS_MAX_COUNT)}</OFX>`)).reason).toBe(
      `it is not a readable OFX file: it has more than ${ELEMENTS_MAX_COUNT} elements`,
    );
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Files made to be slow
// ---------------------------------------------------------------------------------------------------------------

/** Each must be read or refused well under a second (the old reader took 20 s over the first). */
const FAST_MS = 1000;
const ONE_MB = 1024 * 1024;
const toOneMb = (unit: string) => unit.repeat(Math.ceil(ONE_MB / unit.length));

const CUT_SHORT = /it ends before <\/OFX>, as if it had been cut short$/;
const NO_STATEMENT = /^it has no bank statement in it$/;

const SLOW_FILES: [string, () => string, RegExp][] = [
  ['a tag of 30 letters after <OFX>', () => `<OFX><${'A'.repeat(30)}>x`, CUT_SHORT],
  ['100,000 letters', () => 'A'.repeat(100_000), NO_STATEMENT],
  ['1 MB of nested tags', () => `<OFX>${toOneMb('<A>')}`, /more than \d+ deep$/],
  ['1 MB of values each ending the one before', () => `<OFX>${toOneMb('<A.B>1')}`, CUT_SHORT],
  ['1 MB of repeated tags with end tags', () => `<OFX>${toOneMb('<A>x</A>')}</OFX>`, NO_STATEMENT],
  ['1 MB of repeated empty tags', () => `<OFX>${toOneMb('<A/>')}</OFX>`, NO_STATEMENT],
  [
    '1 MB of values under empty elements, all moving up at the last end tag',
    () => `<OFX>${'<A>'.repeat(NESTING_MAX_LEVELS - 2)}${toOneMb('<B>x')}</OFX>`,
    NO_STATEMENT,
  ],
  ['1 MB of "<"', () => toOneMb('<'), NO_STATEMENT],
  ['1 MB of "<" after <OFX>', () => `<OFX>${toOneMb('<')}`, CUT_SHORT],
  ['1 MB of unfinished start tags', () => `<OFX>${toOneMb('<A ')}`, CUT_SHORT],
  ['1 MB of unfinished end tags', () => `<OFX>${toOneMb('</A ')}`, CUT_SHORT],
  ['1 MB of unfinished declarations', () => `<OFX>${toOneMb('<!A')}`, CUT_SHORT],
  ['1 MB of "&"', () => `<OFX><A>${toOneMb('&')}`, CUT_SHORT],
  ['1 MB of "&#"', () => `<OFX><A>${toOneMb('&#')}`, CUT_SHORT],
  ['1 MB of comment starts', () => `<OFX>${toOneMb('<!--')}`, /a comment \(<!--\) is never closed$/],
  ['1 MB of CDATA starts', () => `<OFX><A>${toOneMb('<![CDATA[')}`, /a CDATA section is never closed$/],
  ['1 MB of end tags', () => `<OFX>${toOneMb('</A>')}`, /closes an element that is not open$/],
];

describe('files made to be slow are read or refused at once', () => {
  it.each(SLOW_FILES)(
    '%s',
    (_name, makeText, reason) => {
      const text = makeText();
      expect(refusalOf(() => readOfxBankFile(text)).reason).toMatch(reason);
    },
    FAST_MS,
  );
});
