import type { z } from 'zod'
import type {
  caseCloseInput,
  caseReopenInput,
  caseUpdateInput,
  contactInput,
  crisisInput,
  followUpInput,
  noteInput,
  noteUpdateInput,
  notificationInput,
  referralInput,
  referralUpdateInput,
  riskChangeInput,
  taskCompleteInput,
} from '~~/shared/case-schemas'

/** One mutation of a case as a form sees it: its own busy flag and server field errors, and the call. */
export interface CaseAction<I> {
  busy: boolean
  errors: Record<string, string>
  /** resolves true when the server accepted it */
  submit: (input: I) => Promise<boolean>
}

/**
 * The mutations of a case file. Each action keeps its own busy and field-error state (useSubmit);
 * `onDone` runs after every accepted change (close the form, say so, reload the file).
 */
export function useCaseActions(onDone: () => unknown) {
  const { $trpc } = useNuxtApp()
  const { report } = useApiError()

  function action<I>(call: (input: I) => Promise<unknown>): CaseAction<I> {
    const { busy, errors, run } = useSubmit()
    const state = reactive({
      busy,
      errors,
      async submit(input: I) {
        const ok = await run(() => call(input))
        if (ok) await onDone()
        return ok
      },
    })
    return state
  }

  /** Ticking off a task or a follow-up has no form: an error is shown, the file reloads on success. */
  async function complete(call: () => Promise<unknown>): Promise<boolean> {
    try {
      await call()
      await onDone()
      return true
    } catch (err) {
      await report(err)
      return false
    }
  }

  return {
    addNote: action((input: z.input<typeof noteInput>) => $trpc.case.addNote.mutate(input)),
    editNote: action((input: z.input<typeof noteUpdateInput>) => $trpc.case.editNote.mutate(input)),
    changeRisk: action((input: z.input<typeof riskChangeInput>) => $trpc.case.changeRisk.mutate(input)),
    addFollowUp: action((input: z.input<typeof followUpInput>) => $trpc.case.addFollowUp.mutate(input)),
    addReferral: action((input: z.input<typeof referralInput>) => $trpc.case.addReferral.mutate(input)),
    updateReferral: action((input: z.input<typeof referralUpdateInput>) => $trpc.case.updateReferral.mutate(input)),
    recordCrisis: action((input: z.input<typeof crisisInput>) => $trpc.case.recordCrisis.mutate(input)),
    notify: action((input: z.input<typeof notificationInput>) => $trpc.case.notify.mutate(input)),
    /** "not applicable", with the counsellor's reason */
    markTask: action((input: z.input<typeof taskCompleteInput>) => $trpc.case.completeTask.mutate(input)),
    addContact: action((input: z.input<typeof contactInput>) => $trpc.case.addContact.mutate(input)),
    updateDetails: action((input: z.input<typeof caseUpdateInput>) => $trpc.case.update.mutate(input)),
    close: action((input: z.input<typeof caseCloseInput>) => $trpc.case.close.mutate(input)),
    reopen: action((input: z.input<typeof caseReopenInput>) => $trpc.case.reopen.mutate(input)),
    completeTask: (taskId: number) => complete(() => $trpc.case.completeTask.mutate({ taskId, status: 'done' })),
    completeFollowUp: (followUpId: number) => complete(() => $trpc.case.completeFollowUp.mutate({ followUpId, status: 'done' })),
  }
}
