/**
 * Says yes to a key at most once per window: for warnings that would
 * otherwise repeat with every request. Keys are kept in the order they were
 * let through, so the expired ones are always at the front; at most `max`
 * are kept, and a new key beyond that is not let through (a flood of
 * distinct keys must not flood the log or the memory).
 */
export class OncePerWindow {
  private readonly passed = new Map<string, number>();

  constructor(
    private readonly windowMs: number,
    private readonly max: number,
  ) {}

  take(key: string, now = Date.now()): boolean {
    for (const [old, at] of this.passed) {
      if (now - at < this.windowMs) break;
      this.passed.delete(old);
    }
    if (this.passed.has(key) || this.passed.size >= this.max) return false;
    this.passed.set(key, now);
    return true;
  }
}
