import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, found from this module's own location (never the cwd). */
export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Where the ASL files live: every `*.asl.json` here becomes a state machine. */
export const WORKFLOWS_DIR = join(REPO_ROOT, 'workflows');

/** Lambda entry points: `http/<handler>.ts` and `workflow/<name>.ts`, each exporting `handler`. */
export const HANDLERS_DIR = join(REPO_ROOT, 'functions', 'handlers');

/** The lock file NodejsFunction uses to find the project root for bundling. */
export const LOCK_FILE = join(REPO_ROOT, 'package-lock.json');
