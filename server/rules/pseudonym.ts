import { createHmac } from 'node:crypto'

/**
 * Per-project pseudonyms: HMAC-SHA256 under the project's own random key, so the same student gets
 * different pseudonyms in two projects and the extracts cannot be joined; without the key (destroyed
 * when the project ends) a pseudonym leads back to no one. 80 bits in base32: collisions are
 * negligible (≈ 4·10⁻¹³ over a million subjects).
 */
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'

function encode(mac: Buffer): string {
  let out = ''
  let acc = 0
  let bits = 0
  for (let i = 0; out.length < 16; i++) {
    acc = ((acc << 8) | mac[i]!) & 0xffff
    bits += 8
    while (bits >= 5 && out.length < 16) {
      bits -= 5
      out += ALPHABET[(acc >> bits) & 31]
    }
  }
  return out
}

/** The pseudonym function of one project key: `kind` separates subjects (students) from other ids. */
export function pseudonymiser(key: Uint8Array): (kind: string, id: number) => string {
  const k = Buffer.from(key)
  return (kind, id) => encode(createHmac('sha256', k).update(`${kind}:${id}`).digest())
}

export function pseudonym(key: Uint8Array, kind: string, id: number): string {
  return pseudonymiser(key)(kind, id)
}
