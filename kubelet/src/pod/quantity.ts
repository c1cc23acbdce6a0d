// Minimal resource.Quantity parsing for the kubelet: cpu (cores, `500m`) and memory/bytes
// (`128Mi`, `1G`, `1e3`). Returns undefined for anything it cannot parse. Pure.
const BIN: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DEC: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

export function parseQuantity(q: unknown): number | undefined {
  if (typeof q === 'number') return q;
  if (typeof q !== 'string') return undefined;
  const m = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E))?$/.exec(q.trim());
  if (!m) return undefined;
  const base = Number(m[1]);
  if (m[2]) return base * Math.pow(10, Number(m[2].slice(1)));
  const suffix = m[3] ?? '';
  return base * (BIN[suffix] ?? DEC[suffix] ?? 1);
}

/** CPU quantity in millicores (rounded up), or undefined. */
export function cpuMillis(q: unknown): number | undefined {
  const v = parseQuantity(q);
  return v === undefined ? undefined : Math.ceil(v * 1000 - 1e-9);
}

/** Memory quantity in bytes (rounded up), or undefined. */
export function bytes(q: unknown): number | undefined {
  const v = parseQuantity(q);
  return v === undefined ? undefined : Math.ceil(v - 1e-9);
}
