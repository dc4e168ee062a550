import { REQUESTER_KINDS, MAX_PREFERRED, type RequesterKind } from '~~/shared/room-ops'

/**
 * The public request page of one school (no account). It shows the room under its student-facing name
 * and the free slots; "I am not safe" shows the crisis hotline at once. After sending, the requester
 * keeps a code; the status is looked up by typing the code into a form (POST only, never in the address).
 */
export function useRoomRequest(school: () => string) {
  const { $trpc } = useNuxtApp()
  const { message } = useApiError()
  const { fieldErrors } = useApiError()
  const room = $trpc.room.publicRoom.useQuery(() => ({ school: school() }), { queryKey: `room-public-${school()}` })
  const form = ref({ kind: 'student' as RequesterKind, name: '', phone: '', preferred: [] as string[], topic: '', urgent: false })
  const errors = ref<Record<string, string>>({})
  const error = ref('')
  const busy = ref(false)
  const sent = ref<{ code: string; hotline: string | null } | null>(null)
  const statusCode = ref('')
  const status = ref<Awaited<ReturnType<typeof $trpc.room.publicStatus.mutate>> | null>(null)
  const statusError = ref('')

  const slots = computed(() => room.data.value?.slots ?? [])
  const slotKey = (s: { slotId: number; date: string }) => `${s.slotId}|${s.date}`
  const tooMany = computed(() => form.value.preferred.length > MAX_PREFERRED)

  async function send() {
    error.value = ''
    errors.value = {}
    busy.value = true
    try {
      const preferred = form.value.preferred.map((k) => {
        const [slotId, date] = k.split('|')
        return { slotId: Number(slotId), date: date! }
      })
      sent.value = await $trpc.room.publicRequest.mutate({
        school: school(),
        kind: form.value.kind,
        name: form.value.name,
        phone: form.value.phone,
        preferred,
        topic: form.value.topic || null,
        urgent: form.value.urgent,
      })
    } catch (err) {
      errors.value = fieldErrors(err)
      error.value = message(err)
    } finally {
      busy.value = false
    }
  }

  async function check() {
    statusError.value = ''
    status.value = null
    busy.value = true
    try {
      status.value = await $trpc.room.publicStatus.mutate({ code: statusCode.value })
    } catch (err) {
      statusError.value = message(err)
    } finally {
      busy.value = false
    }
  }

  return {
    room,
    form,
    errors,
    error,
    busy,
    sent,
    send,
    slots,
    slotKey,
    tooMany,
    statusCode,
    status,
    statusError,
    check,
    kinds: REQUESTER_KINDS,
  }
}
