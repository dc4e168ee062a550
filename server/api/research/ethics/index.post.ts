import { uploadEthics } from '../../../services/research'
import { defineUploadRoute } from '../../../utils/file-routes'

/** A research project's ethics approval (PDF or scan): multipart `projectId` + `file`, the same checks as evidence uploads. */
export default defineUploadRoute({
  permission: 'research.manage',
  procedure: 'research.ethicsUpload',
  ownerField: 'projectId',
  store: (ctx, f) => uploadEthics(ctx, { projectId: f.ownerId, fileName: f.fileName, bytes: f.bytes }),
})
