// slowStartBatch (upstream controller utils): runs `count` calls of fn in batches of
// initial, 2·initial, 4·initial... each batch concurrently; stops after the first batch in
// which any call failed. Returns how many calls succeeded and the first error. Calls of a
// batch that fails still all settle before it returns; later batches never start, so a
// systematic failure (quota, admission) costs one request per ramp step, not `count`.
export async function slowStartBatch(count: number, initial: number, fn: () => Promise<void>): Promise<{ successes: number; error?: Error }> {
  let remaining = count;
  let successes = 0;
  for (let batch = Math.min(remaining, initial); batch > 0; batch = Math.min(2 * batch, remaining)) {
    const results = await Promise.allSettled(Array.from({ length: batch }, () => fn()));
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    successes += batch - failed.length;
    if (failed.length) return { successes, error: failed[0]!.reason as Error };
    remaining -= batch;
  }
  return { successes };
}
