import type { z } from 'zod'
import type { caseOpenInput } from '~~/shared/case-schemas'

/**
 * The new-case screen: who the case may be assigned to, and opening it (then on to its file). `formRef`
 * is the form's, so a refusal (its rules' or the server's) names the field and scrolls to it.
 */
export function useCaseOpen() {
  const { $trpc } = useNuxtApp()
  const counsellors = $trpc.case.counsellors.useQuery(undefined, { queryKey: 'case-counsellors' })
  const { busy, errors, run, formRef, validate } = useSubmit()

  async function openCase(input: z.input<typeof caseOpenInput>): Promise<boolean> {
    let id = 0
    const ok = await run(async () => {
      id = (await $trpc.case.open.mutate(input)).id
    })
    if (ok) await navigateTo(`/school/cases/${id}`)
    return ok
  }

  return { counsellors, busy, errors, openCase, formRef, validate }
}
