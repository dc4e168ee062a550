import { openEvidence } from '../../../services/accreditation'
import { defineFileRoute } from '../../../utils/file-routes'

/** One evidence file of an application the expert sits on the panel of (the service checks the seat). */
export default defineFileRoute({ permission: 'accreditation.review', procedure: 'accreditationEvidence.read', open: openEvidence })
