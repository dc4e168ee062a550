import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { openDatabase, type DbHandle } from '../../db/client'
import { migrateToLatest } from '../../db/migrate'
import { codeSchema, DEFAULT_CONSENT } from '../../shared/assessment'
import { INSTRUMENTS } from '../../shared/instruments'
import { hashCode } from '../../server/services/assessment'
import { callerFor, HOUR, signIn } from '../fixtures/caller'
import { makeAccount, makeSchool, unique } from '../fixtures/factories'

/**
 * Alerts that cannot be lost, under a crash: a process submits teachers' answers several at a time and
 * is killed with SIGKILL part-way, in bounded rounds. Every submission it acknowledged must be stored
 * with its results, and every stored submission whose answers call for an alert must have its alert and
 * the counsellor's inbox item (they are written in the submission's transaction, or not at all).
 */
const ROUNDS = [
  { teachers: 24, killAfter: 4 },
  { teachers: 24, killAfter: 11 },
  { teachers: 24, killAfter: 19 },
]
const low = Object.fromEntries(INSTRUMENTS.phq9.items.map((i) => [i.key, 0]))
const alerting = { ...low, phq9_9: 1 }

describe('kill -9 during concurrent teacher submissions (SQLite file)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'xq-crash-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it.each(ROUNDS.map((r, i) => ({ ...r, round: i + 1 })))(
    'round $round: every acknowledged submission is stored, and every stored alerting one has its alert (killed after $killAfter)',
    async ({ teachers, killAfter, round }) => {
      const file = join(dir, `crash-${round}.sqlite`)
      let handle: DbHandle = openDatabase({ url: file })
      await migrateToLatest(handle.db)
      const now = Date.now()
      const school = await makeSchool(handle.db)
      await makeAccount(handle.db, 'counsellor', { schoolId: school.id })
      const admin = await makeAccount(handle.db, 'school_admin', { schoolId: school.id })
      const caller = callerFor(handle.db, (await signIn(handle.db, admin.username, admin.password)).actor)
      for (let i = 0; i < teachers; i++) await caller.teacher.create({ staffNo: unique('K'), name: `崩溃${i}`, sex: 'F', birthYear: 1990 })
      const opened = await caller.assessment.openRound({
        name: `crash ${round}`,
        opensAt: new Date(now - HOUR).toISOString(),
        closesAt: new Date(now + 24 * HOUR).toISOString(),
        instruments: ['phq9'],
        schoolIds: [],
        consentZh: DEFAULT_CONSENT['zh-CN'],
        consentEn: DEFAULT_CONSENT.en,
        recurrence: 'none',
      })
      const slips = (await caller.assessment.issueCodes({ roundId: opened.id })).slips
      // every other teacher's answers call for an alert
      const jobs = slips.map((s, i) => ({ code: s.code, answers: { phq9: i % 2 === 0 ? alerting : low } }))
      const shouldAlert = new Set(jobs.filter((_, i) => i % 2 === 0).map((j) => hashCode(codeSchema.parse(j.code))))
      await handle.close()

      const acked = new Set<string>()
      const signal = await new Promise<NodeJS.Signals | null>((resolve, reject) => {
        const child = spawn(process.execPath, ['--import', 'tsx', 'tests/fixtures/crash-submitter.ts', file, '6'], {
          env: { ...process.env, CRASH_JOBS: JSON.stringify(jobs) },
          stdio: ['ignore', 'pipe', 'inherit'],
        })
        let buffer = ''
        child.stdout.on('data', (chunk: Buffer) => {
          buffer += chunk.toString()
          let nl: number
          while ((nl = buffer.indexOf('\n')) >= 0) {
            const line = buffer.slice(0, nl)
            buffer = buffer.slice(nl + 1)
            if (line.startsWith('ACK ')) acked.add(line.slice(4))
            if (acked.size >= killAfter && child.exitCode == null && !child.killed) child.kill('SIGKILL')
          }
        })
        child.on('error', reject)
        child.on('exit', (_code, sig) => resolve(sig))
      })
      expect(acked.size).toBeGreaterThanOrEqual(killAfter)
      // the process died mid-run, not after finishing its work
      expect(signal).toBe('SIGKILL')

      handle = openDatabase({ url: file })
      try {
        const rows = await handle.db
          .selectFrom('assessment_respondent')
          .leftJoin('assessment_alert', 'assessment_alert.respondent_id', 'assessment_respondent.id')
          .select([
            'assessment_respondent.code_hash',
            'assessment_respondent.submitted_at',
            'assessment_alert.id as alert_id',
            (eb) =>
              eb
                .selectFrom('assessment_result')
                .select((e) => e.fn.countAll<number>().as('n'))
                .whereRef('assessment_result.respondent_id', '=', 'assessment_respondent.id')
                .as('results'),
          ])
          .where('assessment_respondent.round_id', '=', opened.id)
          .execute()
        const byHash = new Map(rows.map((r) => [r.code_hash!, r]))
        for (const code of acked) {
          const r = byHash.get(hashCode(codeSchema.parse(code)))!
          expect(r.submitted_at, `acknowledged ${code} stored`).not.toBeNull()
        }
        const submitted = rows.filter((r) => r.submitted_at != null)
        expect(submitted.length).toBeGreaterThanOrEqual(acked.size)
        for (const r of submitted) {
          expect(Number(r.results)).toBe(1)
          if (shouldAlert.has(r.code_hash!)) expect(r.alert_id, 'a stored alerting submission has its alert').not.toBeNull()
          else expect(r.alert_id).toBeNull()
        }
        for (const r of rows.filter((x) => x.submitted_at == null)) {
          expect(Number(r.results)).toBe(0)
          expect(r.alert_id).toBeNull()
        }
        const alerts = submitted.filter((r) => r.alert_id != null).map((r) => r.alert_id!)
        if (alerts.length) {
          const inbox = await handle.db
            .selectFrom('inbox_item')
            .select('entity_id')
            .where('entity_type', '=', 'assessment_alert')
            .where('entity_id', 'in', alerts)
            .execute()
          expect(new Set(inbox.map((i) => i.entity_id))).toEqual(new Set(alerts))
        }
        const check = await handle.db
          .selectFrom('assessment_alert')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
        expect(Number(check.n)).toBe(alerts.length)
      } finally {
        await handle.close()
      }
    },
    60_000,
  )
})
