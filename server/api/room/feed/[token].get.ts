import { defineEventHandler, getRouterParam, setResponseHeader, setResponseStatus } from 'h3'
import { feedCalendar } from '../../../services/room-feed'
import { useRuntime } from '../../../runtime'

/**
 * A counsellor's calendar subscription: `/api/room/feed/<token>.ics`. No session (calendar apps have
 * none); the token alone names the counsellor, and the feed names no student.
 */
export default defineEventHandler(async (event) => {
  setResponseHeader(event, 'cache-control', 'private, no-store')
  const param = getRouterParam(event, 'token') ?? ''
  const token = param.endsWith('.ics') ? param.slice(0, -4) : param
  const { handle } = await useRuntime()
  const text = await feedCalendar(handle.db, token, new Date(), {
    summary: '心理辅导预约 Appointment',
    room: '心理辅导室 Counselling room',
  })
  if (text == null) {
    setResponseStatus(event, 404)
    return 'Not found'
  }
  setResponseHeader(event, 'content-type', 'text/calendar; charset=utf-8')
  return text
})
