// A worker thread does not get `--import tsx` applied to its entry module, so the sandbox
// registers tsx itself and then loads the TypeScript worker.
import { register } from 'tsx/esm/api';

register();
await import('./lambda-worker.ts');
