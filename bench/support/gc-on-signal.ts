/**
 * Preloaded into every server under test (`node --expose-gc --import`): on
 * SIGUSR2 it runs a full garbage collection and says so on stdout, so the
 * runner reads RSS once the heap has settled, the same way for every server,
 * without any server code knowing about benchmarks.
 */
const collect = (globalThis as { gc?: () => void }).gc;

process.on("SIGUSR2", () => {
  collect?.();
  process.stdout.write(`${JSON.stringify({ msg: "bench gc done" })}\n`);
});
