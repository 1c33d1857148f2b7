import { describe, expect, it } from '@jest/globals';
import { afterBursts } from './memory.js';

async function until(condition: () => boolean): Promise<void> {
  const end = Date.now() + 30_000;
  while (!condition()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('afterBursts', () => {
  it('collects once after the last of several bursts, and not after stop', async () => {
    let runs = 0;
    const memory = afterBursts(20, () => runs++);
    memory.refreshed();
    memory.refreshed();
    memory.refreshed();
    await until(() => runs > 0);
    expect(runs).toBe(1);
    memory.refreshed();
    memory.stop();
    await new Promise((r) => setTimeout(r, 100));
    expect(runs).toBe(1);
  });

  it('runs a full collection without --expose-gc on the command line', async () => {
    // Large enough for V8's large-object space, which only a full collection frees.
    let big: number[] | undefined = new Array<number>(2_000_000).fill(1);
    const ref = new WeakRef(big);
    big = undefined;
    afterBursts(0).refreshed();
    await until(() => ref.deref() === undefined);
  });
});
