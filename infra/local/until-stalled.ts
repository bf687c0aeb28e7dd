/** Awaits `work` unless `progress` stands still for `stallMs`; a rejection of `work` is rethrown. */
export async function untilStalled(work: Promise<void>, progress: () => number, stallMs: number): Promise<'done' | 'stalled'> {
  let last = progress();
  let since = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const stalled = new Promise<'stalled'>((resolve) => {
    timer = setInterval(() => {
      const now = progress();
      if (now !== last) [last, since] = [now, Date.now()];
      else if (Date.now() - since >= stallMs) resolve('stalled');
    }, Math.min(1000, stallMs));
  });
  work.catch(() => undefined); // still awaited below, or abandoned to the background after a stall
  try {
    return await Promise.race([work.then(() => 'done' as const), stalled]);
  } finally {
    clearInterval(timer);
  }
}
