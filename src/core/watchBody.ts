import { type Clock, monotonicNow } from './clock.js';

/** What {@link watchBody} needs to police a body while it is read. */
export interface WatchBodyOptions {
  readonly clock: Clock;
  /** Longest wait for the next chunk. */
  readonly idleMs: number;
  /** The call's total deadline, on the clock's monotonic time ({@link monotonicNow}): no read waits past it. */
  readonly deadline: number;
  /** The caller's signal: aborting it fails a pending read at once. */
  readonly signal: AbortSignal | undefined;
  /** The client's disposal: aborting it fails a pending read at once too (through `onAbort`). */
  readonly stop?: AbortSignal | undefined;
  /** Makes the error a stalled read fails with (`total` when the call's deadline was the limit). */
  readonly onTimeout: (which: 'body' | 'total') => Error;
  /** Makes the error a caller abort fails the read with. */
  readonly onAbort: (reason: unknown) => Error;
  /** Makes the error a broken connection fails the read with. */
  readonly onError: (cause: unknown) => Error;
  /** Sees every chunk as it is handed to the reader. */
  readonly onChunk?: ((chunk: Uint8Array) => void) | undefined;
  /** Told when a read starts waiting on the network (true) and when it got something or ended (false). */
  readonly onWait?: ((waiting: boolean) => void) | undefined;
  /** Called once when the body ends (`complete`), fails (with the error it failed with) or is cancelled. */
  readonly onSettled: (complete: boolean, error?: Error) => void;
}

/**
 * Wraps a response body so that a stall fails the read (the read timeout fetch lacks), and the caller's
 * abort still works after the headers arrived. The timer and the abort listener exist only while a read
 * is waiting on the network: a body nobody reads holds no timer and no listener.
 */
export function watchBody(
  body: ReadableStream<Uint8Array>,
  options: WatchBodyOptions,
): ReadableStream<Uint8Array> {
  const { clock, signal, stop } = options;
  const reader = body.getReader();
  let finished = false;
  const finish = (complete = false, error?: Error): void => {
    if (!finished) {
      finished = true;
      options.onSettled(complete, error);
    }
  };
  return new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        return new Promise<void>((resolve) => {
          let settled = false;
          let timer: unknown;
          const cleanup = (): void => {
            settled = true;
            options.onWait?.(false);
            clock.clearTimeout(timer);
            signal?.removeEventListener('abort', onAbort);
            stop?.removeEventListener('abort', onStop);
          };
          const fail = (error: Error): void => {
            if (settled) return;
            cleanup();
            reader.cancel(error).catch(() => {});
            controller.error(error);
            finish(false, error);
            resolve();
          };
          const onAbort = (): void => fail(options.onAbort(signal?.reason));
          const onStop = (): void => fail(options.onAbort(stop?.reason));
          if (signal?.aborted) return onAbort();
          if (stop?.aborted) return onStop();
          const left = options.deadline - monotonicNow(clock);
          if (left <= 0) return fail(options.onTimeout('total'));
          const wait = Math.min(options.idleMs, left);
          timer = clock.setTimeout(
            () => fail(options.onTimeout(wait < options.idleMs ? 'total' : 'body')),
            wait,
          );
          signal?.addEventListener('abort', onAbort, { once: true });
          stop?.addEventListener('abort', onStop, { once: true });
          options.onWait?.(true);
          reader.read().then(
            ({ done, value }) => {
              if (settled) return;
              cleanup();
              if (done) {
                controller.close();
                finish(true);
              } else {
                options.onChunk?.(value);
                controller.enqueue(value);
              }
              resolve();
            },
            (error: unknown) => fail(options.onError(error)),
          );
        });
      },
      cancel(reason) {
        finish();
        return reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
}
