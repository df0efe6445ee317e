// Worker entry for the replica tests: serves replicas from core's build, resolving from here.
import { serveReplica } from '../dist/node.js';

serveReplica((specifier) => import(specifier));
