/**
 * The text encoding of an uploaded CSV. Excel on Chinese Windows saves "CSV" in the system code page
 * (GBK, which GB18030 contains), newer Excel saves "CSV UTF-8" with a BOM, and "Unicode text" is
 * UTF-16 with a BOM. A BOM decides; otherwise bytes that are valid UTF-8 are UTF-8 (GBK text with
 * Chinese characters is practically never valid UTF-8), and anything else is read as GB18030.
 */
export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be' | 'gb18030'

export function detectEncoding(bytes: Uint8Array): TextEncodingName {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8'
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le'
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be'
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes)
    return 'utf-8'
  } catch {
    return 'gb18030'
  }
}

/** The file's text, without its byte-order mark. */
export function decodeText(bytes: Uint8Array): string {
  // TextDecoder drops a BOM that matches its encoding (ignoreBOM defaults to false).
  return new TextDecoder(detectEncoding(bytes)).decode(bytes)
}
