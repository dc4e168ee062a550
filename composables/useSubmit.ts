import { computed, ref } from 'vue'
import { fieldIssuesOf, useApiError } from './useApiError'
import { useFormErrors } from './useFormErrors'

/**
 * The save step every form shares: a busy flag, field errors from the server's zod issues, and
 * the error shown (or a return to sign-in when the session has ended). A refusal with field errors
 * names the first field and, when `formRef` is bound to the form, scrolls to it and focuses it.
 * `run` resolves true when the action succeeded.
 */
export function useSubmit() {
  const { report, fieldErrors } = useApiError()
  const { formRef, reveal, revealFields, validate } = useFormErrors()
  const busy = ref(false)
  const errors = ref<Record<string, string>>({})

  async function run(action: () => Promise<unknown>): Promise<boolean> {
    busy.value = true
    errors.value = {}
    try {
      await action()
      return true
    } catch (err) {
      errors.value = fieldErrors(err)
      const issues = fieldIssuesOf(err)
      if (issues.length) await reveal(issues)
      else await report(err)
      return false
    } finally {
      busy.value = false
    }
  }

  return { busy, errors, run, formRef, reveal, revealFields, validate }
}

/** A dialog's v-model that is open while `isOpen()` holds and asks its parent to close otherwise. */
export function useDialogModel(isOpen: () => boolean, close: () => void) {
  return computed({
    get: isOpen,
    set: (v: boolean) => {
      if (!v) close()
    },
  })
}
