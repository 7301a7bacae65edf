import { useEffect, useRef } from 'preact/hooks';

/**
 * Calls `tick` every `intervalMs` while `active`, one call at a time (a slow answer delays the
 * next call rather than piling calls up); stops when the page goes away.
 */
export function usePolling(tick: () => Promise<unknown>, intervalMs: number, active: boolean): void {
  const latest = useRef(tick);
  latest.current = tick;
  useEffect(() => {
    if (!active) return;
    let timer: number | undefined;
    let stopped = false;
    const loop = () => {
      timer = window.setTimeout(() => {
        latest
          .current()
          .catch(() => undefined)
          .finally(() => {
            if (!stopped) loop();
          });
      }, intervalMs);
    };
    loop();
    return () => {
      stopped = true;
      window.clearTimeout(timer);
    };
  }, [intervalMs, active]);
}

/** `value` once it has stopped changing for `delayMs` (the composer's preview while typing). */
export function useDebounced<T>(value: T, delayMs: number, onSettled: (value: T) => void): void {
  const latest = useRef(onSettled);
  latest.current = onSettled;
  useEffect(() => {
    const timer = window.setTimeout(() => latest.current(value), delayMs);
    return () => window.clearTimeout(timer);
  }, [value, delayMs]);
}
