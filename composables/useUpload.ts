/** Longest side of a photo after it is shrunk in the browser: enough for evidence, small to send. */
const MAX_SIDE = 2000

async function shrinkPhoto(file: File): Promise<Blob> {
  if (!/^image\/(jpeg|png|webp)$/.test(file.type) || file.size < 1.5 * 1024 * 1024) return file
  const bitmap = await createImageBitmap(file)
  const scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height))
  const canvas = document.createElement('canvas')
  canvas.width = Math.round(bitmap.width * scale)
  canvas.height = Math.round(bitmap.height * scale)
  canvas.getContext('2d')?.drawImage(bitmap, 0, 0, canvas.width, canvas.height)
  bitmap.close()
  return await new Promise<Blob>((resolve) => canvas.toBlob((b) => resolve(b ?? file), 'image/jpeg', 0.85))
}

/**
 * Sends a file to one of the upload routes (multipart, with the same CSRF header as the API): evidence
 * attachments (`upload(eventId, file)`, large phone photos shrunk first) and other files such as a
 * research project's ethics approval (`uploadTo(url, fields, file)`). Errors come back as the
 * server's code, translated.
 */
export function useUpload() {
  const { t, te } = useI18n()
  async function uploadTo(
    url: string,
    fields: Record<string, string>,
    file: Blob,
    name: string,
  ): Promise<{ ok: true } | { ok: false; message: string }> {
    const body = new FormData()
    for (const [k, v] of Object.entries(fields)) body.append(k, v)
    body.append('file', file, name)
    const res = await fetch(url, { method: 'POST', body, headers: { 'x-xinqiao-csrf': '1' }, credentials: 'same-origin' })
    if (res.ok) return { ok: true }
    const data = (await res.json().catch(() => null)) as { error?: { data?: { appCode?: string; params?: Record<string, string> } } } | null
    const code = data?.error?.data?.appCode ?? 'internal'
    return { ok: false, message: te(`errors.${code}`) ? t(`errors.${code}`, data?.error?.data?.params ?? {}) : t('errors.internal') }
  }
  async function upload(eventId: number, file: File): Promise<{ ok: true } | { ok: false; message: string }> {
    const blob = await shrinkPhoto(file)
    const name = blob === file ? file.name : file.name.replace(/\.[^.]+$/, '') + '.jpg'
    return uploadTo('/api/uploads', { eventId: String(eventId) }, blob, name)
  }
  return { upload, uploadTo }
}
