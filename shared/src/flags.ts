// Kubernetes-style command-line flags for every component: `--name=value` or `--name value`,
// booleans as `--flag` / `--flag=false`, Go durations. Each component declares its flags as a
// table and gets typed values, or a FlagError naming the bad flag (main exits 2 with usage).
//
// Contract: pure; unknown flags throw; a flag given twice keeps the last value; `-h`/`--help`
// sets `help`. Not handled: short flags other than -h, repeated-list flags.

export class FlagError extends Error {
  readonly code = 'K8TS_ERR_FLAG';
  constructor(message: string) {
    super(message);
    this.name = 'FlagError';
  }
}

const UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Go's time.ParseDuration, in milliseconds. */
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

/** `--name=value`, `--name value`, `--flag` (kube-style names) → name → raw value ('true' for bare flags). */
export function splitFlags(argv: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '-h') { out.set('help', 'true'); continue; }
    if (!a.startsWith('--')) throw new FlagError(`unexpected argument ${JSON.stringify(a)}`);
    const eq = a.indexOf('=');
    if (eq > 0) { out.set(a.slice(2, eq), a.slice(eq + 1)); continue; }
    const next = argv[i + 1];
    if (next !== undefined && !next.startsWith('--')) { out.set(a.slice(2), next); i++; } else out.set(a.slice(2), 'true');
  }
  return out;
}

export function parseBoolFlag(name: string, v: string): boolean {
  if (['true', '1', 'True', 'TRUE', 't'].includes(v)) return true;
  if (['false', '0', 'False', 'FALSE', 'f'].includes(v)) return false;
  throw new FlagError(`invalid value ${JSON.stringify(v)} for --${name}: want true or false`);
}

export function parseIntFlag(name: string, v: string, min: number, max: number): number {
  if (!/^-?\d+$/.test(v) || Number(v) < min || Number(v) > max) throw new FlagError(`invalid value ${JSON.stringify(v)} for --${name}: want an integer in [${min}, ${max}]`);
  return Number(v);
}

export type FlagKind = 'string' | 'bool' | 'duration' | 'int';

export interface FlagSpec {
  kind: FlagKind;
  help: string;
  /** Default shown in usage (and returned when the flag is absent). */
  default?: string;
  min?: number;
  max?: number;
}

export type FlagValues = Record<string, string | number | boolean | undefined> & { help: boolean };

/** Parses argv against `spec`; values are typed by kind, defaults applied. */
export function parseFlagTable(argv: readonly string[], spec: Record<string, FlagSpec>): FlagValues {
  const out: FlagValues = { help: false };
  const raw: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '-h' || a === '--help') { out.help = true; continue; }
    if (!a.startsWith('--')) throw new FlagError(`unexpected argument ${JSON.stringify(a)}`);
    const eq = a.indexOf('=');
    const name = eq >= 0 ? a.slice(2, eq) : a.slice(2);
    const s = spec[name];
    if (!s) throw new FlagError(`unknown flag: --${name}`);
    if (eq >= 0) raw[name] = a.slice(eq + 1);
    else if (s.kind === 'bool') raw[name] = 'true';
    else {
      const v = argv[++i];
      if (v === undefined) throw new FlagError(`flag needs an argument: --${name}`);
      raw[name] = v;
    }
  }
  for (const [name, s] of Object.entries(spec)) {
    const v = raw[name] ?? s.default;
    if (v === undefined) { out[name] = undefined; continue; }
    switch (s.kind) {
      case 'string': out[name] = v; break;
      case 'bool': out[name] = parseBoolFlag(name, v); break;
      case 'duration': out[name] = parseDuration(v); break;
      case 'int': out[name] = parseIntFlag(name, v, s.min ?? Number.MIN_SAFE_INTEGER, s.max ?? Number.MAX_SAFE_INTEGER); break;
    }
  }
  return out;
}

/** Usage text from the same table. */
export function flagUsage(command: string, spec: Record<string, FlagSpec>): string {
  const lines = [`Usage: ${command} [flags]`, ''];
  for (const [name, s] of Object.entries(spec)) {
    const left = `  --${name}${s.kind === 'bool' ? '' : `=${s.kind.toUpperCase()}`}`;
    lines.push(`${left.padEnd(44)} ${s.help}${s.default !== undefined ? ` (default ${s.default})` : ''}`);
  }
  return `${lines.join('\n')}\n`;
}
