import { defineEventHandler, setResponseHeader, setResponseStatus } from 'h3'
import { runtimeReady } from '../runtime'

/**
 * Readiness probe: 503 while this process is still migrating or seeding (a first start of a demo
 * district on PostgreSQL takes a while), 200 once it serves. A reverse proxy in front of several app
 * processes routes only to ready ones; /api/health stays the cheap liveness probe.
 */
export default defineEventHandler((event) => {
  setResponseHeader(event, 'cache-control', 'no-store')
  if (runtimeReady()) return { ready: true }
  setResponseStatus(event, 503)
  return { ready: false }
})
