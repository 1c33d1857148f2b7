/**
 * Gives back the memory a burst of refreshes made V8 take. Hundreds of refreshes at once parse
 * and rewrite the credentials file hundreds of times; V8 grows its heap for that and keeps it,
 * and a quiet daemon allocates too little to trigger the collection that would shrink it: the
 * resident size stayed at the burst's high-water mark (about 107 MB with 500 profiles) until
 * the next burst, against about 90 MB once collected.
 */
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** How long the daemon must have been quiet after refreshing before it collects. */
export const SETTLE_AFTER_REFRESH_MS = 5_000;

/** A full collection costs tens of milliseconds: only a heap grown this much since the last is worth one. */
const GROWTH_WORTH_COLLECTING = 8 * 1024 * 1024;

let collect: (() => void) | undefined;
let heapAfterLastCollection = 0;

/**
 * A full garbage collection. Node exposes one only behind `--expose-gc`; a V8 flag set at run
 * time and read by a new context gives the same function (as Jest does for --logHeapUsage),
 * which works in the single executable too, whose argv has no room for V8 flags.
 */
function fullCollection(): void {
  if (!collect) {
    setFlagsFromString('--expose-gc');
    collect = runInNewContext('gc') as () => void;
  }
  collect();
}

/** Collects when the heap has grown since the last collection; a few refreshes at a time never do. */
function collectIfGrown(): void {
  if (getHeapStatistics().total_heap_size < heapAfterLastCollection + GROWTH_WORTH_COLLECTING) return;
  fullCollection();
  heapAfterLastCollection = getHeapStatistics().total_heap_size;
}

/**
 * A collector to call after each batch of refreshes: it collects once, when no batch has
 * finished for {@link SETTLE_AFTER_REFRESH_MS}. `stop` cancels a pending collection.
 */
export function afterBursts(settleMs = SETTLE_AFTER_REFRESH_MS, run: () => void = collectIfGrown): { refreshed(): void; stop(): void } {
  let timer: NodeJS.Timeout | undefined;
  return {
    refreshed() {
      clearTimeout(timer);
      timer = setTimeout(run, settleMs);
      // Never the reason the daemon stays up.
      timer.unref();
    },
    stop() {
      clearTimeout(timer);
    },
  };
}
