/**
 * The sum of the samples of a Prometheus metric on an instance's `/metrics`
 * that carry every one of `labels`.
 */
export async function sample(
  base: string,
  name: string,
  labels: Record<string, string>,
): Promise<number> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  let sum = 0;
  for (const line of text.split("\n")) {
    if (!line.startsWith(`${name}{`)) continue;
    const have = line.slice(name.length + 1, line.lastIndexOf("}")).split(",");
    if (wanted.every((label) => have.includes(label))) sum += Number(line.split(" ").at(-1));
  }
  return sum;
}
