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

/** A body reader policed like {@link watchBody}'s stream: `read()` fails on a stall, the deadline or an abort. */
export interface WatchedReader {
  read(): Promise<ReadableStreamReadResult<Uint8Array>>;
  cancel(reason?: unknown): Promise<void>;
}

/**
 * Reads `body` chunk by chunk under the watch: each read waits at most `idleMs` (and never past the
 * deadline), and the caller's abort or the client's disposal fail a pending read at once. The timer and the
 * abort listeners exist only while a read is waiting on the network: a body nobody reads holds neither.
 */
export function watchReader(body: ReadableStream<Uint8Array>, options: WatchBodyOptions): WatchedReader {
  const { clock, signal, stop } = options;
  const reader = body.getReader();
  let finished = false;
  let failed: Error | undefined;
  const finish = (complete = false, error?: Error): void => {
    if (!finished) {
      finished = true;
      options.onSettled(complete, error);
    }
  };
  return {
    read: () =>
      new Promise((resolve, reject) => {
        if (failed) return reject(failed);
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
          failed = error;
          reader.cancel(error).catch(() => {});
          finish(false, error);
          reject(error);
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
          (result) => {
            if (settled) return;
            cleanup();
            if (result.done) finish(true);
            else options.onChunk?.(result.value);
            resolve(result);
          },
          (error: unknown) => fail(options.onError(error)),
        );
      }),
    cancel(reason) {
      finish();
      return reader.cancel(reason);
    },
  };
}

/**
 * Wraps a response body so that a stall fails the read (the read timeout fetch lacks), and the caller's
 * abort still works after the headers arrived (a stream over {@link watchReader}).
 */
export function watchBody(
  body: ReadableStream<Uint8Array>,
  options: WatchBodyOptions,
): ReadableStream<Uint8Array> {
  const reader = watchReader(body, options);
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const { done, value } = await reader.read();
          if (done) controller.close();
          else controller.enqueue(value);
        } catch (error) {
          controller.error(error);
        }
      },
      cancel: (reason) => reader.cancel(reason),
    },
    { highWaterMark: 0 },
  );
}
