import { invalidBankFile } from './bank-file';

/**
 * A small reader for OFX 1.x (SGML) and 2.x (XML): the text becomes one tree of elements. Bank files are untrusted,
 * so the text is scanned once, by index, with no regular expression over it: a look-ahead stops at the next "<", or
 * jumps past the end of a comment, CDATA section or processing instruction (refusing the file when there is none),
 * so the time taken grows with the file's length whatever is in it. Nesting, tag names and the number of elements
 * are bounded, and anything that cannot be read is refused with a short reason rather than a parser's message.
 */

/** Real statements nest about ten deep (OFX > BANKMSGSRSV1 > STMTTRNRS > STMTRS > BANKTRANLIST > STMTTRN > …). */
export const NESTING_MAX_LEVELS = 32;
/** The longest OFX tags (CREDITCARDMSGSRSV1, Intuit's INTU.* extensions) are under twenty characters. */
export const TAG_NAME_MAX_CHARS = 64;
/** About 60,000 transactions, more than a co-op's bank writes in years; it keeps a hostile file's tree near 60 MB. */
export const ELEMENTS_MAX_COUNT = 500_000;
/** The longest entity read is "&#x10FFFF;": a "&" without a ";" this close is a plain ampersand. */
const ENTITY_MAX_CHARS = 10;
/** How much of the start of a file is looked at for the NUL bytes that give a binary file away. */
const BINARY_SNIFF_CHARS = 1024;

export interface OfxElement {
  /** The tag's name, upper case as OFX writes it. */
  readonly name: string;
  /**
   * An element's value as written up to its end tag or the next tag (so an OFX 1 value keeps its line break: trim
   * it), entities decoded and CDATA kept verbatim; '' for an aggregate or an empty element.
   */
  readonly text: string;
  readonly children: readonly OfxElement[];
  /** The file line of its start tag (1-based), so a refusal can say where to look. */
  readonly line: number;
}

export interface OfxDocument {
  /** OFX 1's header lines ("VERSION:102") or the attributes of OFX 2's <?OFX …?> instruction. */
  readonly header: ReadonlyMap<string, string>;
  readonly root: OfxElement;
}

/** Reads an OFX file into its header and the tree under <OFX>, or refuses it with invalid-bank-file. */
export function readOfxDocument(text: string): OfxDocument {
  refuseBinary(text);
  const rootAt = rootTagAt(text);
  if (rootAt < 0) throw invalidBankFile(null, 'it has no bank statement in it');
  return { header: readHeader(text.slice(0, rootAt)), root: new TreeBuilder(text).build(rootAt) };
}

/** The elements of a parent with a name, in file order. */
export function childrenNamed(parent: OfxElement, name: string): OfxElement[] {
  return parent.children.filter((child) => child.name === name);
}

// ---------------------------------------------------------------------------------------------------------------
// What is not OFX at all
// ---------------------------------------------------------------------------------------------------------------

/** Files treasurers upload by mistake, by how they start (as decoded, so Windows-1252 letters for high bytes). */
const BINARY_SIGNATURES: readonly [string, string][] = [
  ['PK\u0003\u0004', 'it is a ZIP archive (an Excel workbook is one), not an OFX file'],
  ['PK\u0005\u0006', 'it is a ZIP archive (an Excel workbook is one), not an OFX file'],
  ['\u00d0\u00cf\u0011\u00e0', 'it is an Excel or other Office file, not an OFX file'],
  ['%PDF-', 'it is a PDF, not an OFX file'],
];

function refuseBinary(text: string): void {
  for (const [start, reason] of BINARY_SIGNATURES) if (text.startsWith(start)) throw invalidBankFile(null, reason);
  if (text.slice(0, BINARY_SNIFF_CHARS).includes('\u0000'))
    throw invalidBankFile(null, 'it is a binary file, not an OFX text file');
}

/** Where the <OFX> start tag is (not one in a comment): everything before it is the header. */
function rootTagAt(text: string): number {
  for (let lt = text.indexOf('<'); lt >= 0; lt = text.indexOf('<', lt + 1)) {
    if (text.startsWith('<!--', lt)) {
      lt = text.indexOf('-->', lt + 4);
      if (lt < 0) return -1;
      continue;
    }
    const after = text.charCodeAt(lt + 4);
    const isOfx = (text.charCodeAt(lt + 1) | 0x20) === 0x6f && (text.charCodeAt(lt + 2) | 0x20) === 0x66;
    if (isOfx && (text.charCodeAt(lt + 3) | 0x20) === 0x78 && (after === GT || after === SLASH || isSpace(after)))
      return lt;
  }
  return -1;
}

// ---------------------------------------------------------------------------------------------------------------
// The header
// ---------------------------------------------------------------------------------------------------------------

/** OFX 1 writes "KEY:VALUE" lines; OFX 2 writes <?OFX KEY="VALUE" …?>. Read both; nothing else before <OFX> matters. */
function readHeader(prolog: string): Map<string, string> {
  const header = new Map<string, string>();
  for (const line of prolog.split('\n')) {
    const colon = line.indexOf(':');
    const key = line.slice(0, colon).trim();
    if (colon > 0 && isHeaderKey(key)) header.set(key, line.slice(colon + 1).trim());
  }
  for (let start = prolog.indexOf('<?'); start >= 0; start = prolog.indexOf('<?', start + 2)) {
    const end = prolog.indexOf('?>', start + 2);
    if (end < 0) break;
    const [target, ...attributes] = prolog
      .slice(start + 2, end)
      .trim()
      .split(/\s+/);
    if (target?.toUpperCase() !== 'OFX') continue;
    for (const attribute of attributes) {
      const equals = attribute.indexOf('=');
      const key = attribute.slice(0, equals);
      if (equals > 0 && isHeaderKey(key)) header.set(key, attribute.slice(equals + 1).replace(/^["']|["']$/g, ''));
    }
  }
  return header;
}

function isHeaderKey(key: string): boolean {
  return key.length <= TAG_NAME_MAX_CHARS && /^[A-Z][A-Z0-9]*$/.test(key);
}

// ---------------------------------------------------------------------------------------------------------------
// The tree
// ---------------------------------------------------------------------------------------------------------------

interface OpenElement {
  name: string;
  text: string;
  children: OpenElement[];
  line: number;
  /** It holds text (or CDATA), so it is an element with a value, never an aggregate. */
  hasValue: boolean;
}

const LT = 0x3c;
const GT = 0x3e;
const SLASH = 0x2f;
const BANG = 0x21;
const QUESTION = 0x3f;

function unreadable(line: number | null, reason: string) {
  return invalidBankFile(line, `it is not a readable OFX file: ${reason}`);
}

/**
 * Builds the tree the way OFX 1 is written: an element's end tag may be left out (its value runs to the next tag),
 * and one end tag closes everything opened after its start tag; aggregates always have end tags. So an element
 * closed without its own end tag is a value, and anything that was nested under it (because it had no text to show
 * that it was a value, "<BALAMT><DTASOF>…") belongs to its parent. Each element moves up at most once, into an
 * element that its end tag has just closed. OFX 2 (XML) is the case where every end tag is there.
 */
class TreeBuilder {
  private readonly stack: OpenElement[] = [];
  private root: OpenElement | null = null;
  private elementCount = 0;
  private readonly lines: LineCounter;

  constructor(private readonly text: string) {
    this.lines = new LineCounter(text);
  }

  build(from: number): OfxElement {
    const { text } = this;
    let at = from;
    while (at < text.length) {
      const lt = text.indexOf('<', at);
      const textEnd = lt < 0 ? text.length : lt;
      if (textEnd > at) this.addText(text.slice(at, textEnd), at, false);
      if (lt < 0) break;
      at = this.readMarkup(lt);
    }
    if (!this.root) throw unreadable(null, 'its <OFX> tag is not finished');
    if (this.stack.length > 0) {
      const open = [...this.stack].reverse().find((element) => !element.hasValue) ?? this.stack[0]!;
      throw unreadable(null, `it ends before </${open.name}>, as if it had been cut short`);
    }
    return this.root;
  }

  /** Reads the markup starting at a "<" and returns where to go on from. */
  private readMarkup(lt: number): number {
    const { text } = this;
    const next = text.charCodeAt(lt + 1);
    if (text.startsWith('<!--', lt)) return this.skipPast(lt, '-->', 'a comment (<!--) is never closed');
    if (text.startsWith('<![CDATA[', lt)) {
      const end = this.skipPast(lt, ']]>', 'a CDATA section is never closed');
      this.addText(text.slice(lt + '<![CDATA['.length, end - ']]>'.length), lt, true);
      return end;
    }
    if (next === QUESTION) return this.skipPast(lt, '?>', 'a processing instruction (<?) is never closed');
    if (next === BANG && isNameStart(text.charCodeAt(lt + 2))) {
      const gt = this.tagEnd(lt + 2);
      return gt < 0 ? this.literal(lt) : gt + 1; // a declaration such as <!DOCTYPE …>: nothing to read in it
    }
    if (next === SLASH && isNameStart(text.charCodeAt(lt + 2))) {
      const nameEnd = this.nameEnd(lt + 2);
      let gt = nameEnd;
      while (isSpace(text.charCodeAt(gt))) gt += 1;
      if (text.charCodeAt(gt) !== GT) return this.literal(lt);
      this.close(text.slice(lt + 2, nameEnd).toUpperCase(), lt);
      return gt + 1;
    }
    if (isNameStart(next)) {
      const nameEnd = this.nameEnd(lt + 1);
      const after = text.charCodeAt(nameEnd);
      // Attributes (OFX has none) are skipped, but only as far as the next "<", so a stray "<" stays cheap.
      const gt = after === GT ? nameEnd : after === SLASH || isSpace(after) ? this.tagEnd(nameEnd) : -1;
      if (gt < 0) return this.literal(lt);
      const name = text.slice(lt + 1, nameEnd).toUpperCase();
      this.open(name, lt);
      if (text.charCodeAt(gt - 1) === SLASH) this.close(name, lt);
      return gt + 1;
    }
    return this.literal(lt);
  }

  /** A "<" that starts no tag ("<5 visits", an unescaped "A<B") is text, up to the next "<" that may start one. */
  private literal(lt: number): number {
    const { text } = this;
    let next = lt;
    do next = text.indexOf('<', next + 1);
    while (next >= 0 && !mayStartMarkup(text.charCodeAt(next + 1)));
    const end = next < 0 ? text.length : next;
    this.addText(text.slice(lt, end), lt, false);
    return end;
  }

  /** Where a tag name starting at `from` ends; refuses one longer than any OFX tag. */
  private nameEnd(from: number): number {
    let at = from;
    while (isNameChar(this.text.charCodeAt(at))) {
      at += 1;
      if (at - from > TAG_NAME_MAX_CHARS)
        throw unreadable(this.lines.lineAt(from), `a tag name is longer than ${TAG_NAME_MAX_CHARS} characters`);
    }
    return at;
  }

  /** The ">" ending a tag, looking no further than the next "<"; -1 when there is none. */
  private tagEnd(from: number): number {
    const { text } = this;
    for (let at = from; at < text.length; at += 1) {
      const code = text.charCodeAt(at);
      if (code === GT) return at;
      if (code === LT) return -1;
    }
    return -1;
  }

  private skipPast(lt: number, terminator: string, reason: string): number {
    const end = this.text.indexOf(terminator, lt + 2);
    if (end < 0) throw unreadable(this.lines.lineAt(lt), reason);
    return end + terminator.length;
  }

  private open(name: string, at: number): void {
    const line = this.lines.lineAt(at);
    if (this.root && this.stack.length === 0) throw unreadable(line, 'there is more after </OFX>');
    if (!this.root && name !== 'OFX') throw unreadable(line, 'its <OFX> tag is not finished');
    this.elementCount += 1;
    if (this.elementCount > ELEMENTS_MAX_COUNT)
      throw unreadable(line, `it has more than ${ELEMENTS_MAX_COUNT} elements`);
    let parent = this.top();
    if (parent?.hasValue) {
      // OFX 1: a value's end tag is optional, so the next start tag ends it (a value has no children to move).
      if (parent === this.root) throw unreadable(parent.line, 'there is text where an element should be');
      this.stack.pop();
      parent = this.top();
    }
    if (this.stack.length >= NESTING_MAX_LEVELS)
      throw unreadable(line, `it nests elements more than ${NESTING_MAX_LEVELS} deep`);
    const element: OpenElement = { name, text: '', children: [], line, hasValue: false };
    if (parent) {
      parent.text = ''; // only the spaces and line breaks between tags: an aggregate has no value
      parent.children.push(element);
    } else {
      this.root = element;
    }
    this.stack.push(element);
  }

  private close(name: string, at: number): void {
    const { stack } = this;
    let index = stack.length - 1;
    while (index >= 0 && stack[index]!.name !== name) index -= 1;
    if (index < 0) {
      const line = this.lines.lineAt(at);
      if (this.root && stack.length === 0) throw unreadable(line, 'there is more after </OFX>');
      throw unreadable(line, `</${name}> closes an element that is not open`);
    }
    // The elements opened after it end here without their own end tags, so they are values: whatever was nested
    // under them moves up to this element, in file order (each one is the last child of the one before it).
    const element = stack[index]!;
    for (const inner of stack.slice(index + 1)) {
      for (const child of inner.children) element.children.push(child);
      inner.children = [];
      if (!inner.hasValue) inner.text = '';
    }
    stack.length = index;
    if (element.children.length > 0 || !element.hasValue) element.text = '';
  }

  private addText(raw: string, at: number, isCdata: boolean): void {
    const element = this.top();
    if (!element) return; // before <OFX> is the header; after </OFX>, nothing is read
    const meaningful = isCdata || element.hasValue || /\S/.test(raw);
    if (meaningful && element.children.length > 0)
      throw unreadable(this.lines.lineAt(at), 'there is text where an element should be');
    element.text += isCdata ? raw : decodeEntities(raw);
    if (meaningful) element.hasValue = true;
  }

  private top(): OpenElement | undefined {
    return this.stack[this.stack.length - 1];
  }
}

/** The line of a position in the text; positions asked for only move forward, so the whole file is counted once. */
class LineCounter {
  private line = 1;
  private nextNewline: number;

  constructor(private readonly text: string) {
    this.nextNewline = text.indexOf('\n');
  }

  lineAt(position: number): number {
    while (this.nextNewline >= 0 && this.nextNewline < position) {
      this.line += 1;
      this.nextNewline = this.text.indexOf('\n', this.nextNewline + 1);
    }
    return this.line;
  }
}

/** What may follow a "<" that starts a tag, a comment, CDATA or a processing instruction. */
function mayStartMarkup(code: number): boolean {
  return isNameStart(code) || code === SLASH || code === BANG || code === QUESTION;
}

function isNameStart(code: number): boolean {
  return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a) || code === 0x5f;
}

/** OFX names are letters, digits, "." and "_"; XML adds "-" and ":" (a namespace prefix). */
function isNameChar(code: number): boolean {
  return isNameStart(code) || (code >= 0x30 && code <= 0x39) || code === 0x2e || code === 0x2d || code === 0x3a;
}

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;
}

// ---------------------------------------------------------------------------------------------------------------
// Entities
// ---------------------------------------------------------------------------------------------------------------

const NAMED_ENTITIES = new Map([
  ['amp', '&'],
  ['lt', '<'],
  ['gt', '>'],
  ['quot', '"'],
  ['apos', "'"],
  ['nbsp', '\u00a0'],
]);

/** Decodes &amp; &lt; &gt; &quot; &apos; &nbsp; &#163; &#xA3;; any other "&" (SGML files often have "A & B") stays. */
function decodeEntities(raw: string): string {
  let amp = raw.indexOf('&');
  if (amp < 0) return raw;
  let decoded = '';
  let from = 0;
  while (amp >= 0) {
    let semicolon = -1;
    for (let at = amp + 1; at < raw.length && at <= amp + ENTITY_MAX_CHARS; at += 1) {
      if (raw.charCodeAt(at) === 0x3b) {
        semicolon = at;
        break;
      }
    }
    const replacement = semicolon < 0 ? null : entityValue(raw.slice(amp + 1, semicolon));
    if (replacement !== null) {
      decoded += raw.slice(from, amp) + replacement;
      from = semicolon + 1;
    }
    amp = raw.indexOf('&', replacement === null ? amp + 1 : from);
  }
  return decoded + raw.slice(from);
}

function entityValue(name: string): string | null {
  const named = NAMED_ENTITIES.get(name);
  if (named !== undefined) return named;
  const digits = /^#(\d{1,7})$/.exec(name)?.[1];
  const hex = /^#[xX]([0-9a-fA-F]{1,6})$/.exec(name)?.[1];
  const code = digits !== undefined ? Number(digits) : hex !== undefined ? Number.parseInt(hex, 16) : NaN;
  const isCharacter = code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff);
  return isCharacter ? String.fromCodePoint(code) : null;
}
