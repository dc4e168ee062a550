import { ElMessage } from 'element-plus'
import { DEFAULT_THRESHOLD, MAX_THRESHOLD, MIN_THRESHOLD } from '~~/shared/disclosure'

/** The district's disclosure threshold (one setting for every aggregate in the product). */
export async function useDisclosureSettings() {
  const { t } = useI18n()
  const { $trpc } = useNuxtApp()
  const current = $trpc.disclosure.settings.useQuery(undefined, { queryKey: 'disclosure-settings' })
  const submit = useSubmit()
  const threshold = ref(DEFAULT_THRESHOLD)
  watch(
    () => current.data.value,
    (v) => {
      if (v) threshold.value = v.threshold
    },
    { immediate: true },
  )
  async function save() {
    const ok = await submit.run(() => $trpc.disclosure.updateSettings.mutate({ threshold: threshold.value }))
    if (ok) {
      ElMessage.success(t('settings.disclosureSaved'))
      await current.refresh()
    }
  }
  const error = computed(() => submit.errors.value.threshold)

  // The ledger: what was released to whom, never the values.
  const ledger = $trpc.disclosure.releases.useQuery(undefined, { queryKey: 'disclosure-ledger' })
  const { formatDateTime } = useFormat()
  const releases = computed(() =>
    (ledger.data.value ?? []).map((r) => ({
      id: r.id,
      when: formatDateTime(r.releasedAt),
      audience:
        r.audience === 'research'
          ? t('settings.ledgerAudience.research', { title: r.project ?? '—' })
          : t('settings.ledgerAudience.district'),
      kind: t(`settings.ledgerKinds.${r.kind}`),
      entries: r.entries,
      hidden: `${r.hidden.primary} / ${r.hidden.zero} / ${r.hidden.change} / ${r.hidden.complementary}`,
      threshold: r.threshold,
    })),
  )
  await Promise.all([current, ledger])
  return { threshold, min: MIN_THRESHOLD, max: MAX_THRESHOLD, save, saving: submit.busy, error, releases }
}
