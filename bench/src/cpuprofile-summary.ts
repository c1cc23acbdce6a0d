// Where did the apiserver's CPU go during one benchmark phase? Reads a V8 .cpuprofile (from
// `BENCH_APISERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=DIR" npm run bench:api`) and prints
// busy time by area (etcd client, HTTP/TLS, GC, apiserver code...) and the top functions by
// self and inclusive time.
//
//   node bench/dist/cpuprofile-summary.js PROFILE [--phase NAME [--results JSON]] [--from S --to S] [--top N] [--code COMPONENT]
//
// --code names the component whose own functions are listed by inclusive time (default apiserver).
// --phase pods takes bench:pods' pod phase (podPhaseMonotonicSeconds in bench/results/pods.json
// or --results FILE). Any other --phase takes the window from the results JSON's phaseSecondsSinceApiserverStart (rawPuts,
// creates, gets, puts, fullLists, watch-paced, watch-burst); the profile's clock starts when
// the apiserver process starts, a few tens of milliseconds after it was spawned.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './cluster.js';

interface CallFrame { functionName: string; url: string; lineNumber: number; }
interface ProfileNode { id: number; callFrame: CallFrame; children?: number[]; }
interface Profile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[]; }

const args = process.argv.slice(2);
const opt = (name: string) => { const i = args.indexOf(`--${name}`); return i >= 0 ? args[i + 1] : undefined; };
const file = args[0];
if (!file || file.startsWith('--')) {
  console.error('usage: node bench/dist/cpuprofile-summary.js PROFILE [--phase NAME [--results JSON]] [--from S --to S] [--top N]');
  process.exit(2);
}
let from = Number(opt('from') ?? 0);
let to = Number(opt('to') ?? Infinity);
const phase = opt('phase');
const p = JSON.parse(readFileSync(file, 'utf8')) as Profile & { startTime: number };
if (phase === 'pods') {
  // bench:pods records its pod phase on CLOCK_MONOTONIC, the clock of the profile's startTime.
  const results = JSON.parse(readFileSync(opt('results') ?? join(repoRoot, 'bench', 'results', 'pods.json'), 'utf8')) as { podPhaseMonotonicSeconds?: [number, number] };
  const w = results.podPhaseMonotonicSeconds;
  if (!w) { console.error('the results have no podPhaseMonotonicSeconds'); process.exit(2); }
  [from, to] = [w[0] - p.startTime / 1e6, w[1] - p.startTime / 1e6];
} else if (phase) {
  const results = JSON.parse(readFileSync(opt('results') ?? join(repoRoot, 'bench', 'results', 'api.json'), 'utf8')) as { phaseSecondsSinceApiserverStart?: Record<string, [number, number]> };
  const w = results.phaseSecondsSinceApiserverStart?.[phase];
  if (!w) { console.error(`no phase ${phase} in the results (have: ${Object.keys(results.phaseSecondsSinceApiserverStart ?? {}).join(', ')})`); process.exit(2); }
  [from, to] = w;
}
const top = Number(opt('top') ?? 25);

const byId = new Map(p.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const label = (f: CallFrame) => `${f.functionName || '(anonymous)'} ${f.url.replace(`file://${repoRoot}/`, '').replace(/.*node_modules\//, '')}${f.url ? `:${f.lineNumber + 1}` : ''}`;

const AREAS: Array<[string, (f: CallFrame) => boolean]> = [
  ['GC', (f) => f.functionName === '(garbage collector)'],
  ['etcd client (etcd3, grpc-js, http2, protobuf)', (f) => /@grpc|\/etcd3\/|node:internal\/http2|protobufjs|\/long\//.test(f.url)],
  ['watch cache + watch streams', (f) => /apiserver\/dist\/(storage\/watch-cache|http\/watch-stream)/.test(f.url)],
  ['storage codec (JSON of stored objects)', (f) => /apiserver\/dist\/storage\/codec/.test(f.url)],
  ['apiserver storage (store, etcd wrappers)', (f) => /apiserver\/dist\/storage\//.test(f.url)],
  ['validation + kinds', (f) => /apiserver\/dist\/(validation|kinds)\//.test(f.url)],
  ['apiserver HTTP layer', (f) => /apiserver\/dist\/http\//.test(f.url)],
  ['fastify', (f) => /\/(fastify|find-my-way|avvio|light-my-request|fast-json-stringify|secure-json-parse)\//.test(f.url)],
  ['node HTTP/TLS/streams', (f) => /^node:(_http|_tls|tls|net|internal\/streams|internal\/stream_base)/.test(f.url)],
];

let t = 0;
let busy = 0;
const self = new Map<string, number>();
const incl = new Map<string, number>();
const areas = new Map<string, number>();
for (let i = 0; i < p.samples.length; i++) {
  t += p.timeDeltas[i]!;
  const s = t / 1e6;
  if (s < from || s > to) continue;
  const leaf = byId.get(p.samples[i]!)!;
  if (leaf.callFrame.functionName === '(idle)') continue;
  const dt = (p.timeDeltas[i + 1] ?? 0) / 1000;
  busy += dt;
  const l = label(leaf.callFrame);
  self.set(l, (self.get(l) ?? 0) + dt);
  let area: string | undefined;
  const seen = new Set<string>();
  for (let id: number | undefined = leaf.id; id !== undefined; id = parent.get(id)) {
    const f = byId.get(id)!.callFrame;
    area ??= AREAS.find(([, test]) => test(f))?.[0];
    const k = label(f);
    if (!seen.has(k)) { seen.add(k); incl.set(k, (incl.get(k) ?? 0) + dt); }
  }
  area ??= 'other (native, microtasks, program)';
  areas.set(area, (areas.get(area) ?? 0) + dt);
}
const wall = Math.min(to, t / 1e6) - from;
const pct = (v: number) => `${((v / busy) * 100).toFixed(1).padStart(5)}%`;
console.log(`window ${from.toFixed(1)}–${Math.min(to, t / 1e6).toFixed(1)} s: main thread busy ${(busy / 1000).toFixed(1)} s of ${wall.toFixed(1)} s`);
console.log('\nby area (innermost recognised frame):');
for (const [k, v] of [...areas].sort((a, b) => b[1] - a[1])) console.log(`${pct(v)}  ${k}`);
console.log(`\ntop ${top} by self time:`);
for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${pct(v)}  ${k}`);
const code = opt('code') ?? 'apiserver';
console.log(`\ntop ${top} ${code} functions by inclusive time:`);
for (const [k, v] of [...incl].filter(([k]) => k.includes(`${code}/dist/`)).sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${pct(v)}  ${k}`);
