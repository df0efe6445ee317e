/**
 * Makes a closed or failing stdout/stderr harmless, in one place for every command: when the
 * reader goes away (`tunelab train ... | head -3` closes the pipe: EPIPE), further output is
 * dropped and the command carries on, so training finishes and its record stays true instead
 * of dying with a stack trace. Any other output error (a full disk under `> log`) is reported
 * once on the other stream, if that one still works.
 */
export function tolerateClosedOutput(
  stream: NodeJS.WritableStream,
  other: NodeJS.WritableStream | null,
): void {
  let reported = false;
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED' || reported) return;
    reported = true;
    try {
      other?.write(
        `warning: output failed (${error.code ?? error.message}); continuing without it\n`,
      );
    } catch {
      // Both streams are gone: nothing left to tell.
    }
  });
}
