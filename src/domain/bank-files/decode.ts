import { invalidBankFile } from './bank-file';

/** The encodings a bank file is read in, as the answer reports them. */
export type BankFileEncoding = 'utf-8' | 'windows-1252' | 'utf-8 and windows-1252' | 'utf-16';

/** Files treasurers upload by mistake, by their first bytes, with what to do instead. */
const NOT_TEXT: readonly [number[], string][] = [
  [[0x50, 0x4b, 0x03, 0x04], "it looks like an Excel workbook: export it as CSV from your bank's website"],
  [[0xd0, 0xcf, 0x11, 0xe0], "it looks like an Excel workbook: export it as CSV from your bank's website"],
  [[0x25, 0x50, 0x44, 0x46], "it is a PDF statement: download the CSV or OFX export from your bank's website"],
];
/** How much of the start of a file is looked at for the NUL bytes that give a binary file away. */
const BINARY_SNIFF_BYTES = 1024;

/** Refuses a file that is not text at all (a workbook, a PDF, an image), saying what to upload instead. */
export function refuseNotText(bytes: Uint8Array): void {
  for (const [signature, reason] of NOT_TEXT)
    if (signature.every((byte, i) => bytes[i] === byte)) throw invalidBankFile(null, reason);
  const start = bytes.subarray(0, BINARY_SNIFF_BYTES);
  const utf16 = (start[0] === 0xff && start[1] === 0xfe) || (start[0] === 0xfe && start[1] === 0xff);
  if (!utf16 && start.includes(0)) throw invalidBankFile(null, 'it is not a text file: export it as CSV or OFX');
}

/**
 * A bank file's bytes as text. UK banks export UTF-8 (often with a byte-order mark), Windows-1252 (where "£" is the
 * single byte 0xA3), or now and then UTF-16 with its byte-order mark. Each line is decoded on its own: a line that
 * is valid UTF-8 is UTF-8, any other is Windows-1252, so one Windows-1252 byte (a "£" typed into a UTF-8 file)
 * never turns the rest of the file's Welsh letters into mojibake.
 */
export function decodeBankFile(bytes: Uint8Array): string {
  return decodeBankFileWithEncoding(bytes).text;
}

export function decodeBankFileWithEncoding(bytes: Uint8Array): { text: string; encoding: BankFileEncoding } {
  if (bytes[0] === 0xff && bytes[1] === 0xfe)
    return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16' };
  if (bytes[0] === 0xfe && bytes[1] === 0xff)
    return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'utf-16' };
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  try {
    return { text: utf8.decode(bytes), encoding: 'utf-8' }; // the usual case, in one pass (it drops a byte-order mark)
  } catch {
    // some line is not UTF-8: decode line by line
  }
  let text = '';
  let utf8Lines = 0;
  let cp1252Lines = 0;
  for (let start = 0; start < bytes.length; ) {
    const newline = bytes.indexOf(0x0a, start);
    const end = newline < 0 ? bytes.length : newline + 1;
    const line = bytes.subarray(start, end);
    try {
      text += utf8.decode(line);
      if (line.some((byte) => byte >= 0x80)) utf8Lines += 1;
    } catch {
      text += decodeWindows1252(line);
      cp1252Lines += 1;
    }
    start = end;
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const encoding = cp1252Lines === 0 ? 'utf-8' : utf8Lines === 0 ? 'windows-1252' : 'utf-8 and windows-1252';
  return { text, encoding };
}

/**
 * Windows-1252 is Latin-1 except for 0x80–0x9F, where it has € ‚ ƒ „ … † ‡ ˆ ‰ Š ‹ Œ Ž ‘ ’ “ ” • – — ˜ ™ š › œ ž Ÿ.
 * Decoded by table because some Node releases' TextDecoder('windows-1252') decodes those bytes as Latin-1 controls.
 */
const CP1252_HIGH =
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

function decodeWindows1252(bytes: Uint8Array): string {
  let text = '';
  for (let start = 0; start < bytes.length; start += 8192) {
    const chunk = bytes.subarray(start, start + 8192);
    text += String.fromCharCode(
      ...Array.from(chunk, (b) => (b >= 0x80 && b <= 0x9f ? CP1252_HIGH.charCodeAt(b - 0x80) : b)),
    );
  }
  return text;
}
