// The worker thread entry of data-parallel training (see @tunelab/experiment/node's
// startModelReplicas): serves one replica; the model's modules come from the CLI's own copies
// (lent, as to the training thread's files), backends from this package's dependencies.
import { serveReplica } from '@tunelab/core/node';
import { importLent } from './lent/modules.js';

void serveReplica(importLent);
