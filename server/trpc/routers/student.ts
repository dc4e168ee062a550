import { studentCreateInput, studentImportInput, studentListInput, studentUpdateInput } from '../../../shared/case-schemas'
import { byIdInput } from '../../../shared/schemas'
import {
  createStudent,
  getStudent,
  importStudents,
  listStudentsService,
  promoteStudents,
  updateStudentService,
} from '../../services/student'
import { procedure, router } from '../init'

export const studentRouter = router({
  list: procedure
    .meta({ permission: 'student.read' })
    .input(studentListInput)
    .query(({ ctx, input }) => listStudentsService(ctx, input)),
  byId: procedure
    .meta({ permission: 'student.read' })
    .input(byIdInput)
    .query(({ ctx, input }) => getStudent(ctx, input.id)),
  create: procedure
    .meta({ permission: 'student.manage' })
    .input(studentCreateInput)
    .mutation(({ ctx, input }) => createStudent(ctx, input)),
  update: procedure
    .meta({ permission: 'student.manage' })
    .input(studentUpdateInput)
    .mutation(({ ctx, input }) => updateStudentService(ctx, input)),
  import: procedure
    .meta({ permission: 'student.manage' })
    .input(studentImportInput)
    .mutation(({ ctx, input }) => importStudents(ctx, input)),
  promote: procedure.meta({ permission: 'student.manage' }).mutation(({ ctx }) => promoteStudents(ctx)),
})
