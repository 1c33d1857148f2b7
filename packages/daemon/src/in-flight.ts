/**
 * Calls that share one run while it is in flight: a call with the key of a call still running
 * gets that call's promise (its value or its error); once it settles, the next call with the
 * key runs anew. For answers that are the same for every caller, asked for at the same time.
 */
export function sharedWhileInFlight<K, V>(): (key: K, run: () => Promise<V>) => Promise<V> {
  const running = new Map<K, Promise<V>>();
  return (key, run) => {
    let promise = running.get(key);
    if (promise === undefined) {
      promise = run().finally(() => running.delete(key));
      running.set(key, promise);
    }
    return promise;
  };
}
