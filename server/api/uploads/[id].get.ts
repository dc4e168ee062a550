import { openAttachment } from '../../services/programme'
import { defineFileRoute } from '../../utils/file-routes'

/** One evidence attachment, for the school that owns it or the bureau. */
export default defineFileRoute({ permission: 'programme.read', procedure: 'uploads.read', open: openAttachment })
