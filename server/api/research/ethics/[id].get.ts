import { openEthics } from '../../../services/research'
import { defineFileRoute } from '../../../utils/file-routes'

/** A project's ethics approval file, for the bureau; served inert, never cached, every read audited. */
export default defineFileRoute({ permission: 'research.manage', procedure: 'research.ethicsRead', open: openEthics })
