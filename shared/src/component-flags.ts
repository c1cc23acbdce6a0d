// Command-line parsing shared by the components' main.ts (kube-style flags): `--name=value`,
// `--name value`, bare `--flag`; Go durations; booleans as pflag accepts them; and the
// leader-election flag group every kube control-plane component has.
// Contract: pure; malformed input throws FlagError (main exits 2 with the usage text).

export class FlagError extends Error {
  readonly code = 'K8TS_ERR_FLAG';
  constructor(message: string) {
    super(message);
    this.name = 'FlagError';
  }
}

/** `--name=value`, `--name value`, `--flag` (kube-style names); `-h` is `--help`. */
export function splitFlags(argv: string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '-h') { out.set('help', 'true'); continue; }
    if (!a.startsWith('--')) throw new FlagError(`unexpected argument ${JSON.stringify(a)}`);
    const eq = a.indexOf('=');
    if (eq > 0) { out.set(a.slice(2, eq), a.slice(eq + 1)); continue; }
    const next = argv[i + 1];
    if (next !== undefined && !next.startsWith('-')) { out.set(a.slice(2), next); i++; } else out.set(a.slice(2), 'true');
  }
  return out;
}

const UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Go's time.ParseDuration, in milliseconds (`1m30s`, `500ms`, `2.5s`; a bare number other than 0 is an error). */
export function parseDuration(s: string): number {
  if (s === '0') return 0;
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/y;
  let total = 0;
  let pos = 0;
  while (pos < s.length) {
    re.lastIndex = pos;
    const m = re.exec(s);
    if (!m) throw new FlagError(`invalid duration ${JSON.stringify(s)}`);
    total += Number(m[1]) * UNITS[m[2]!]!;
    pos = re.lastIndex;
  }
  if (pos === 0) throw new FlagError(`invalid duration ${JSON.stringify(s)}`);
  return total;
}

export function parseBoolFlag(name: string, v: string): boolean {
  if (v === 'true' || v === '1' || v === 'True' || v === 'TRUE' || v === 't') return true;
  if (v === 'false' || v === '0' || v === 'False' || v === 'FALSE' || v === 'f') return false;
  throw new FlagError(`invalid value ${JSON.stringify(v)} for --${name}: want true or false`);
}

export function parseIntFlag(name: string, v: string, min: number, max: number): number {
  if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) throw new FlagError(`invalid value ${JSON.stringify(v)} for --${name}: want an integer in [${min}, ${max}]`);
  return Number(v);
}

/** Typed access to split flags; rejects names outside `known`. */
export class FlagSet {
  private readonly flags: Map<string, string>;
  constructor(argv: string[], known: Iterable<string>) {
    this.flags = splitFlags(argv);
    const k = new Set(known);
    for (const name of this.flags.keys()) if (!k.has(name)) throw new FlagError(`unknown flag: --${name}`);
  }
  has(name: string): boolean { return this.flags.has(name); }
  string(name: string): string | undefined { return this.flags.get(name); }
  bool(name: string, dflt: boolean): boolean {
    const v = this.flags.get(name);
    return v === undefined ? dflt : parseBoolFlag(name, v);
  }
  int(name: string, dflt: number, min: number, max: number): number {
    const v = this.flags.get(name);
    return v === undefined ? dflt : parseIntFlag(name, v, min, max);
  }
  /** A positive Go duration in ms. */
  duration(name: string, dflt: number): number {
    const v = this.flags.get(name);
    if (v === undefined) return dflt;
    const ms = parseDuration(v);
    if (!(ms > 0)) throw new FlagError(`--${name} must be greater than zero`);
    return ms;
  }
}

export interface LeaderElectionFlags {
  leaderElect: boolean;
  leaseDurationMs: number;
  renewDeadlineMs: number;
  retryPeriodMs: number;
  leaderElectionNamespace: string;
  leaderElectionName: string;
}

/** The names parseLeaderElectionFlags reads. */
export const LEADER_ELECTION_FLAG_NAMES = [
  'leader-elect', 'leader-elect-lease-duration', 'leader-elect-renew-deadline', 'leader-elect-retry-period',
  'leader-elect-resource-namespace', 'leader-elect-resource-name',
] as const;

/** --leader-elect=true, --leader-elect-{lease-duration=15s,renew-deadline=10s,retry-period=2s}, --leader-elect-resource-{namespace=kube-system,name=<component>}. */
export function parseLeaderElectionFlags(f: FlagSet, defaultName: string): LeaderElectionFlags {
  return {
    leaderElect: f.bool('leader-elect', true),
    leaseDurationMs: f.duration('leader-elect-lease-duration', 15_000),
    renewDeadlineMs: f.duration('leader-elect-renew-deadline', 10_000),
    retryPeriodMs: f.duration('leader-elect-retry-period', 2_000),
    leaderElectionNamespace: f.string('leader-elect-resource-namespace') ?? 'kube-system',
    leaderElectionName: f.string('leader-elect-resource-name') ?? defaultName,
  };
}

/** Usage lines for the leader-election flag group. */
export function leaderElectionUsage(defaultName: string): string {
  return `  --leader-elect=true                      elect a leader on a Lease before doing any work
  --leader-elect-lease-duration=15s        how long a non-renewed lease stays valid
  --leader-elect-renew-deadline=10s        how long the leader retries renewing before giving up
  --leader-elect-retry-period=2s           interval between acquire / renew attempts
  --leader-elect-resource-namespace=kube-system
  --leader-elect-resource-name=${defaultName}
`;
}
