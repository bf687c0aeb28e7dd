import { DemoClient, UnexpectedAnswer } from './demo-client.js';
import { DEMO_CLOCK_START, playStory } from './story.js';
import { startSystemProcess } from './system-process.js';

/**
 * `npm run demo`: a fresh local system on a temporary data folder, one spring of policies
 * played through its HTTP API step by step, then the system stopped and its folder removed.
 * Exits 0 when every step answered as the story expects; otherwise 1, naming the step.
 */
async function main(): Promise<number> {
  const write = (line: string) => process.stdout.write(`${line}\n`);
  write('Policy callback QC — demo: starting a local system (npm start) on a temporary data folder…');
  const system = await startSystemProcess(DEMO_CLOCK_START);
  try {
    await playStory(new DemoClient(system.url, write));
    write('');
    write('Every step answered as expected. Stopping the system and removing its data folder.');
    return 0;
  } catch (error) {
    if (!(error instanceof UnexpectedAnswer)) throw error;
    process.stderr.write(`\nDEMO FAILED: ${error.message}\n`);
    return 1;
  } finally {
    await system.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`\nDEMO FAILED: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
    process.exit(1);
  },
);
