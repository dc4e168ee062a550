import { defineEventHandler } from 'h3'

/** Liveness probe, and the bench's "bare Nitro handler of the app" baseline. */
export default defineEventHandler(() => ({ ok: true }))
