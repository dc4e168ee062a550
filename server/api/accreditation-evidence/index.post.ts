import { addEvidence } from '../../services/accreditation'
import { defineUploadRoute } from '../../utils/file-routes'

/** Evidence for one scoring point of the school's own application: multipart `applicationId` + `pointCode` + `file`. */
export default defineUploadRoute({
  permission: 'accreditation.apply',
  procedure: 'accreditationEvidence.create',
  ownerField: 'applicationId',
  store: (ctx, f) =>
    addEvidence(ctx, { applicationId: f.ownerId, pointCode: f.fields.pointCode ?? '', fileName: f.fileName, bytes: f.bytes }),
})
