import { z } from 'zod'
import { teacherCreateInput, teacherListInput, teacherUpdateInput } from '../../../shared/assessment'
import { studentImportInput } from '../../../shared/case-schemas'
import { createTeacher, importTeachers, listTeachers, removeTeacher, updateTeacherService } from '../../services/teacher'
import { procedure, router } from '../init'

/** The school's teacher roster: its school admin and counsellors. */
export const teacherRouter = router({
  list: procedure
    .meta({ permission: 'teacher.read' })
    .input(teacherListInput)
    .query(({ ctx, input }) => listTeachers(ctx, input)),
  create: procedure
    .meta({ permission: 'teacher.manage' })
    .input(teacherCreateInput)
    .mutation(({ ctx, input }) => createTeacher(ctx, input)),
  update: procedure
    .meta({ permission: 'teacher.manage' })
    .input(teacherUpdateInput)
    .mutation(({ ctx, input }) => updateTeacherService(ctx, input)),
  remove: procedure
    .meta({ permission: 'teacher.manage' })
    .input(z.strictObject({ id: z.number().int().positive(), version: z.number().int().min(1) }))
    .mutation(({ ctx, input }) => removeTeacher(ctx, input)),
  import: procedure
    .meta({ permission: 'teacher.manage' })
    .input(studentImportInput)
    .mutation(({ ctx, input }) => importTeachers(ctx, input)),
})
