import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

// A test that asserts something is released needs a full collection on demand: this exposes
// V8's gc() to the test's own process only.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** True once nothing holds `ref`'s target any more: a full collection after the current job ends. */
export async function isCollected(ref: WeakRef<object>): Promise<boolean> {
  // A WeakRef read in this job keeps its target until the job ends: let it end first.
  await new Promise((resolve) => setImmediate(resolve));
  gc();
  return ref.deref() === undefined;
}
