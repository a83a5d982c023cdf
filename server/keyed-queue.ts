/**
 * Runs tasks in the order they were given wherever their keys meet: a task
 * starts once every earlier task sharing one of its keys has settled, while
 * tasks with no key in common run side by side. Keys are forgotten when idle.
 */
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<void>>();

  run<T>(keys: Iterable<string>, task: () => Promise<T>): Promise<T> {
    const own = [...new Set(keys)];
    const before: Array<Promise<void>> = [];
    for (const key of own) {
      const tail = this.tails.get(key);
      if (tail) before.push(tail);
    }
    // A task nothing waits for starts now, in the caller's tick.
    const result =
      before.length === 0
        ? task()
        : (before.length === 1 ? before[0] : Promise.all(before)).then(task);
    const settled = result.then(
      () => undefined,
      () => undefined,
    );
    for (const key of own) this.tails.set(key, settled);
    void settled.then(() => {
      for (const key of own) if (this.tails.get(key) === settled) this.tails.delete(key);
    });
    return result;
  }
}
