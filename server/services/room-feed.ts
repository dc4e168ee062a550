import { createHash, randomBytes } from 'node:crypto'
import ical from 'ical-generator'
import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema'
import { appointmentsOfCounsellor, deleteFeedToken, feedOwner, feedTokenOf, roomDisplayName, setFeedToken } from '../repositories/room-ops'
import { appendAudit } from './audit'
import { nowIso, requireActor, withTransaction, type ServiceContext } from './context'
import { AppError } from './errors'

/**
 * A counsellor's iCalendar feed of their own appointments. The URL carries a random token (stored as
 * a hash, revocable by issuing a new one or revoking); each event says only "appointment", the time
 * and the room — never who is coming or why.
 */
export const FEED_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/

function hashFeedToken(token: string): string {
  return createHash('sha256').update('xinqiao.room.feed\n').update(token).digest('hex')
}

export async function feedStatus(ctx: ServiceContext) {
  const actor = requireActor(ctx)
  const row = await feedTokenOf(ctx.db, actor.accountId)
  return { active: !!row, createdAt: row?.created_at ?? null }
}

/** A new feed address; any earlier one stops working. The token is shown once. */
export async function issueFeedToken(ctx: ServiceContext) {
  const actor = requireActor(ctx)
  if (actor.role !== 'counsellor' || actor.scope.kind !== 'school') throw new AppError('FORBIDDEN', 'forbidden')
  const token = randomBytes(32).toString('base64url')
  await withTransaction(ctx.db, async (trx) => {
    await setFeedToken(trx, actor.accountId, hashFeedToken(token), nowIso(ctx))
    await appendAudit(trx, ctx, {
      action: 'room.feed_issue',
      outcome: 'ok',
      entityType: 'account',
      entityId: actor.accountId,
      schoolId: actor.schoolId,
    })
  })
  return { path: `/api/room/feed/${token}.ics` }
}

export async function revokeFeedToken(ctx: ServiceContext) {
  const actor = requireActor(ctx)
  await withTransaction(ctx.db, async (trx) => {
    await deleteFeedToken(trx, actor.accountId)
    await appendAudit(trx, ctx, {
      action: 'room.feed_revoke',
      outcome: 'ok',
      entityType: 'account',
      entityId: actor.accountId,
      schoolId: actor.schoolId,
    })
  })
  return { active: false }
}

/** The feed's text, or null for an unknown or revoked token (the route answers 404 either way). */
export async function feedCalendar(
  db: Kysely<Database>,
  token: string,
  now: Date,
  labels: { summary: string; room: string },
): Promise<string | null> {
  if (!FEED_TOKEN_PATTERN.test(token)) return null
  const owner = await feedOwner(db, hashFeedToken(token))
  if (!owner || owner.school_id == null) return null
  const from = new Date(now.getTime() - 30 * 86_400_000).toISOString()
  const rows = await appointmentsOfCounsellor(db, owner.id, from)
  const room = (await roomDisplayName(db, owner.school_id)) ?? labels.room
  const cal = ical({ name: labels.summary, prodId: { company: 'xinqiao', product: 'room', language: 'ZH' }, timezone: 'Asia/Shanghai' })
  for (const r of rows) {
    if (!r.starts_at || !r.ends_at) continue
    cal.createEvent({
      id: `room-appointment-${r.id}@xinqiao`,
      start: new Date(r.starts_at),
      end: new Date(r.ends_at),
      summary: labels.summary,
      location: room,
    })
  }
  return cal.toString()
}
