/**
 * A bank file's bytes as text. UK banks export UTF-8 (often with a byte-order mark) or Windows-1252, where "£" is
 * the single byte 0xA3; anything that is not valid UTF-8 is read as Windows-1252.
 */
export function decodeBankFile(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}
