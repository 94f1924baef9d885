import autocannon from 'autocannon';

export interface LoadResult {
  requests: number;
  seconds: number;
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  timeouts: number;
}

/** A request to make: a path, with the token to make it with when it is not the run's own. */
export type Path = string | { path: string; token: string };

/**
 * Sends exactly `paths.length` POSTs, each path once, over `connections` connections, and
 * answers throughput and latency. Several targets share the paths round-robin (several servers).
 */
export async function loadPaths(
  targets: string[],
  paths: Path[],
  options: { connections: number; token?: string; body?: string },
): Promise<LoadResult> {
  const slices = targets.map((_, t) => paths.filter((_, i) => i % targets.length === t));
  const started = performance.now();
  // autocannon notices it is done only at its next one-second sample, so its own duration is
  // rounded up to whole seconds; the time of the last response is taken here instead.
  let lastResponse = started;
  const results = await Promise.all(
    targets.map((url, t) => {
      const mine = slices[t]!;
      let next = 0;
      return new Promise<autocannon.Result>((resolve, reject) => {
        const instance = autocannon(
          {
            url,
            connections: Math.max(1, Math.round(options.connections / targets.length)),
            amount: mine.length,
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
            },
            body: options.body ?? '{}',
            timeout: 30,
            requests: [
              {
                setupRequest: (req) => {
                  const item = mine[next++ % mine.length]!;
                  if (typeof item === 'string') return { ...req, path: item };
                  return {
                    ...req,
                    path: item.path,
                    headers: { ...req.headers, authorization: `Bearer ${item.token}` },
                  };
                },
              },
            ],
          },
          (error, result) => (error ? reject(error) : resolve(result)),
        );
        instance.on('response', () => {
          lastResponse = performance.now();
        });
      });
    }),
  );
  const seconds = (lastResponse - started) / 1000;
  const requests = results.reduce((n, r) => n + r.requests.total, 0);
  return {
    requests,
    seconds,
    rps: requests / seconds,
    p50: Math.max(...results.map((r) => r.latency.p50)),
    p99: Math.max(...results.map((r) => r.latency.p99)),
    non2xx: results.reduce((n, r) => n + r.non2xx, 0),
    errors: results.reduce((n, r) => n + r.errors, 0),
    timeouts: results.reduce((n, r) => n + r.timeouts, 0),
  };
}
