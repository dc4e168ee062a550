import { addAttachment } from '../../services/programme'
import { defineUploadRoute } from '../../utils/file-routes'

/** Evidence attachments (photos, scanned sign-in sheets): multipart `eventId` + `file`. */
export default defineUploadRoute({
  permission: 'programme.manage',
  procedure: 'uploads.create',
  ownerField: 'eventId',
  store: (ctx, f) => addAttachment(ctx, { eventId: f.ownerId, fileName: f.fileName, bytes: f.bytes }),
})
