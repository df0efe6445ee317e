import { App } from './app.js';
import { $ } from './dom.js';
import { ServerSource } from './source/server.js';
import './styles.css';

// Served by `tunelab ui`: read the runs directory through its API (live). Opened any other
// way (a static host, `vite preview`): no server, the user opens files.
const source = await ServerSource.detect(new URL('./', location.href).pathname);
const app = new App($('main'), $('#source'), source);
void app.show();
