/**
 * Sets every entry's modification time in a ZIP archive (an XLSX workbook) to one fixed DOS time, so a
 * workbook written twice from the same data is byte-identical: the zip library stamps each entry
 * with the moment it was added. Walks the central directory from the end record; the bytes are
 * changed in place and returned.
 */
const EOCD = 0x06054b50
const CENTRAL = 0x02014b50
const LOCAL = 0x04034b50
/** 1980-01-01 00:00, the DOS epoch */
const DOS_DATE = (0 << 9) | (1 << 5) | 1
const DOS_TIME = 0

export function fixZipTimestamps(zip: Buffer): Buffer {
  let end = -1
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === EOCD) {
      end = i
      break
    }
  }
  if (end < 0) throw new Error('not a zip archive')
  const entries = zip.readUInt16LE(end + 10)
  let at = zip.readUInt32LE(end + 16)
  for (let e = 0; e < entries; e++) {
    if (zip.readUInt32LE(at) !== CENTRAL) throw new Error('malformed zip central directory')
    zip.writeUInt16LE(DOS_TIME, at + 12)
    zip.writeUInt16LE(DOS_DATE, at + 14)
    const local = zip.readUInt32LE(at + 42)
    if (zip.readUInt32LE(local) !== LOCAL) throw new Error('malformed zip local header')
    zip.writeUInt16LE(DOS_TIME, local + 10)
    zip.writeUInt16LE(DOS_DATE, local + 12)
    at += 46 + zip.readUInt16LE(at + 28) + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32)
  }
  return zip
}
