/** A defective push server for the CLI container test: its auth service answers without the request's correlation id. */
import { pushServerCliTriggers } from '../triggers';

export default pushServerCliTriggers({ echoCorrelationId: false });
