import { openEvidence } from '../../../services/accreditation'
import { defineFileRoute } from '../../../utils/file-routes'

/** One evidence file of the school's own application. */
export default defineFileRoute({ permission: 'accreditation.apply', procedure: 'accreditationEvidence.read', open: openEvidence })
