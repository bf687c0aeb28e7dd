import { describe, expect, it } from 'vitest';
import { untilStalled } from '../../../infra/local/until-stalled.js';

const after = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe('untilStalled (a clock advance that cannot finish answers instead of hanging)', () => {
  it('waits for work that keeps making progress, however long', async () => {
    let progress = 0;
    const ticking = setInterval(() => progress++, 50);
    try {
      await expect(untilStalled(after(1_500), () => progress, 1_000)).resolves.toBe('done');
    } finally {
      clearInterval(ticking);
    }
  });

  it('gives up on work that stands still for the bound', async () => {
    const started = Date.now();
    await expect(untilStalled(new Promise<void>(() => undefined), () => 7, 300)).resolves.toBe('stalled');
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it("rethrows the work's own failure", async () => {
    await expect(untilStalled(Promise.reject(new Error('timer failed')), () => 0, 300)).rejects.toThrow('timer failed');
  });
});
