/** Node emitters and socket.io-client sockets alike (whose event names are typed). */
interface Listenable {
  on(event: any, listener: any): unknown;
  off(event: any, listener: any): unknown;
}

/** Resolves with the first `event` (whose arguments pass `accept`), or rejects with a sentence after `ms`. */
export function waitFor<T = unknown>(
  emitter: Listenable,
  event: string,
  ms = 5000,
  accept: (value: T) => boolean = () => true,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      emitter.off(event, listener);
      reject(new Error(`no "${event}" event within ${ms} ms`));
    }, ms);
    const listener = (value: T) => {
      if (!accept(value)) return;
      clearTimeout(timer);
      emitter.off(event, listener);
      resolve(value);
    };
    emitter.on(event, listener);
  });
}

/**
 * Polls `check` until it returns true, or rejects after `ms` with `what`.
 * For state that converges through several paths at once, where no single
 * event marks the end.
 */
export async function eventually(
  what: string,
  check: () => boolean | Promise<boolean>,
  ms = 10_000,
  every = 25,
): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (await check()) return Date.now() - started;
    if (Date.now() - started > ms) throw new Error(`${what}: not true within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, every));
  }
}
