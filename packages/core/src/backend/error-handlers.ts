/** The process events a last-resort error handler listens to. */
const EVENTS = ['uncaughtException', 'unhandledRejection'] as const;

/**
 * Notes the process's last-resort error listeners and returns a function that removes any
 * added since. The wasm backend's emscripten module adds listeners that rethrow from inside its
 * own file: Node then prints that file's 36 kB minified line instead of the user's error and
 * exits with 7. With them removed, an uncaught error in a user's script reads as in plain Node
 * (its stack, exit code 1). A no-op where there is no `process` (browsers).
 */
export function keepErrorHandlers(): () => void {
  const proc = (globalThis as { process?: NodeJS.Process }).process;
  if (typeof proc?.listeners !== 'function') return () => {};
  // One signature for both events (@types/node overloads listeners() per event name).
  const listeners = (event: string) =>
    (proc.listeners as (name: string) => Array<(...args: unknown[]) => void>)(event);
  const before = new Map(EVENTS.map((event) => [event, new Set(listeners(event))]));
  return () => {
    for (const event of EVENTS) {
      for (const listener of listeners(event)) {
        if (!before.get(event)?.has(listener)) proc.removeListener(event, listener);
      }
    }
  };
}
