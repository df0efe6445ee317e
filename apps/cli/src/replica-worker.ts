// The worker thread entry of data-parallel training (see @tunelab/experiment/node's startModelReplicas): serves one
// replica, resolving model and backend packages from this package's dependencies.
import { serveReplica } from '@tunelab/core/node';

void serveReplica((specifier) => import(specifier));
