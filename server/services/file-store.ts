import { randomUUID } from 'node:crypto'
import { mkdir, readFile, unlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { dataDir } from '../../db/client'
import type { AttachmentType } from '../../shared/programme'

/** The extension of each detected type: stored files and download names use it, never the uploader's. */
export const EXTENSION: Record<AttachmentType, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'application/pdf': 'pdf',
}
const KEY = /^[0-9a-f-]{36}\.(jpg|png|webp|pdf|csv|xlsx|json)$/

export function defaultUploadDir(): string {
  return process.env.XINQIAO_UPLOAD_DIR || join(dataDir(), 'uploads')
}

/** A fresh random name: stored files are never named after anything a user typed. */
export function newStorageKey(type: AttachmentType): string {
  return `${randomUUID()}.${EXTENSION[type]}`
}

/** A fresh random name for a file the server generated itself (research export files). */
export function newGeneratedKey(extension: 'csv' | 'xlsx' | 'json'): string {
  return `${randomUUID()}.${extension}`
}

function pathOf(dir: string, key: string): string {
  if (!KEY.test(key)) throw new Error('invalid storage key')
  return join(dir, key)
}

/** Written owner-only, and never over an existing file. */
export async function storeFile(dir: string, key: string, bytes: Uint8Array): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 })
  await writeFile(pathOf(dir, key), bytes, { mode: 0o600, flag: 'wx' })
}

export function readStoredFile(dir: string, key: string): Promise<Buffer> {
  return readFile(pathOf(dir, key))
}

/** Removing a file that is already gone is not an error: the row was the record. */
export async function removeStoredFile(dir: string, key: string): Promise<void> {
  await unlink(pathOf(dir, key)).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'ENOENT') throw err
  })
}
