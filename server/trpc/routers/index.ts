import { router } from '../init'
import { accountRouter } from './account'
import { auditRouter } from './audit'
import { authRouter } from './auth'
import { caseRouter } from './case'
import { inboxRouter } from './inbox'
import { disclosureRouter } from './disclosure'
import { schoolRouter } from './school'
import { schoolYearRouter } from './school-year'
import { staffingRouter } from './staffing'
import { evaluationRouter, programmeRouter } from './programme'
import { researchRouter } from './research'
import { studentRouter } from './student'
import { assessmentRouter, respondRouter } from './assessment'
import { teacherRouter } from './teacher'
import { mfaRouter, securityRouter } from './mfa'
import { breakGlassRouter, centreRouter } from './centre'
import { screeningRespondRouter, screeningRouter } from './screening'
import { accreditationRouter } from './accreditation'
import { roomRouter } from './room'

export const appRouter = router({
  auth: authRouter,
  account: accountRouter,
  school: schoolRouter,
  schoolYear: schoolYearRouter,
  audit: auditRouter,
  student: studentRouter,
  case: caseRouter,
  staffing: staffingRouter,
  programme: programmeRouter,
  evaluation: evaluationRouter,
  inbox: inboxRouter,
  disclosure: disclosureRouter,
  research: researchRouter,
  teacher: teacherRouter,
  assessment: assessmentRouter,
  respond: respondRouter,
  mfa: mfaRouter,
  security: securityRouter,
  centre: centreRouter,
  breakGlass: breakGlassRouter,
  screening: screeningRouter,
  screeningRespond: screeningRespondRouter,
  accreditation: accreditationRouter,
  room: roomRouter,
})

export type AppRouter = typeof appRouter
