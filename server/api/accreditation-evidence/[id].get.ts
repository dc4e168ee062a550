import { openEvidence } from '../../services/accreditation'
import { defineFileRoute } from '../../utils/file-routes'

/** One evidence file for the bureau (the school's and the experts' routes are beside this one). */
export default defineFileRoute({ permission: 'accreditation.manage', procedure: 'accreditationEvidence.read', open: openEvidence })
