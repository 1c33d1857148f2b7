import { describe, expect, it } from '@jest/globals';
import { sharedWhileInFlight } from './in-flight.js';

function gate<T>() {
  let open!: (value: T) => void;
  let fail!: (error: Error) => void;
  const promise = new Promise<T>((resolve, reject) => ((open = resolve), (fail = reject)));
  return { promise, open, fail };
}

describe('sharedWhileInFlight', () => {
  it('runs once for every call with the same key while the first is in flight, and anew after', async () => {
    const share = sharedWhileInFlight<string, number>();
    let runs = 0;
    const first = gate<number>();
    const calls = Array.from({ length: 8 }, () => share('datalab-dev-admin', () => (runs++, first.promise)));
    const other = share('datalab-pro-admin', async () => (runs++, 2));
    expect(runs).toBe(2);
    first.open(1);
    expect(await Promise.all(calls)).toEqual(Array(8).fill(1));
    expect(await other).toBe(2);
    expect(await share('datalab-dev-admin', async () => (runs++, 3))).toBe(3);
    expect(runs).toBe(3);
  });

  it('gives every waiting caller the error, and does not keep it for the next call', async () => {
    const share = sharedWhileInFlight<string, number>();
    const failing = gate<number>();
    const calls = [share('k', () => failing.promise), share('k', () => Promise.resolve(0))];
    failing.fail(new Error('Throttling'));
    for (const call of calls) await expect(call).rejects.toThrow('Throttling');
    expect(await share('k', async () => 5)).toBe(5);
  });
});
