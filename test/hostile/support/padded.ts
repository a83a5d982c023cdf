/**
 * A `/scores` subscribe event (ack id 1, following match `sized`), padded
 * with an ignored field to exactly `bytes` bytes: for probing size limits.
 */
export function paddedSubscribe(bytes: number): string {
  const head = '42/scores,1["subscribe",{"ids":["sized"],"pad":"';
  const tail = '"}]';
  return head + "x".repeat(bytes - head.length - tail.length) + tail;
}
