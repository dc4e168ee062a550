import { router } from '../init'
import { accountRouter } from './account'
import { auditRouter } from './audit'
import { authRouter } from './auth'
import { schoolRouter } from './school'
import { schoolYearRouter } from './school-year'

export const appRouter = router({
  auth: authRouter,
  account: accountRouter,
  school: schoolRouter,
  schoolYear: schoolYearRouter,
  audit: auditRouter,
})

export type AppRouter = typeof appRouter
