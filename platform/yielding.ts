/** Giving the event loop a turn during long computations (fits), so other requests run. */

/** Resolves on a later macrotask: timers and I/O callbacks waiting now run first. */
export const macrotask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * A `yieldControl` for fits: gives the event loop a turn once `sliceMs` of work
 * has run since the last one (a turn per mini-batch would cost more in timer
 * latency than the batches themselves).
 */
export function timeSlicedYield(sliceMs = 10): () => Promise<void> {
  let last = performance.now();
  return async () => {
    if (performance.now() - last < sliceMs) return;
    await macrotask();
    last = performance.now();
  };
}
