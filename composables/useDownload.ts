/** Saves a file the server sent as base64 (exports travel through tRPC, so they share its CSRF and permission checks). */
export function useDownload() {
  function save(file: { fileName: string; mimeType: string; contentBase64: string }) {
    const bytes = Uint8Array.from(atob(file.contentBase64), (c) => c.charCodeAt(0))
    const url = URL.createObjectURL(new Blob([bytes], { type: file.mimeType }))
    const a = document.createElement('a')
    a.href = url
    a.download = file.fileName
    document.body.appendChild(a)
    a.click()
    a.remove()
    setTimeout(() => URL.revokeObjectURL(url), 1000)
  }
  return { save }
}
