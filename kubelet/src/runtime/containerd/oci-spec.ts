// The OCI runtime spec of a k8ts container, built in TypeScript and handed to containerd's
// containers.v1 Create (replacing `ctr run`, whose Go client built it before). It reproduces
// what `ctr run` produced for the same flags on containerd 1.6 (oci.WithDefaultSpec +
// WithDefaultUnixDevices + WithImageConfig + --env/--cwd/--mount/--with-ns/--net-host/limits):
// the default capabilities, rlimits, /proc /dev /sys ... mounts, device cgroup rules, masked and
// read-only paths, cgroupsPath /<containerd namespace>/<id>, cpu shares 1024.
//
// Contract: pure (no I/O); `userFromPasswd` resolves an image's `User` against the files of the
// image's root filesystem read by the caller. NOT handled: seccomp, AppArmor, securityContext,
// tty (containers run without a terminal, as before).
import type { ImageConfig } from '../types.js';

export interface OciUser { uid: number; gid: number; additionalGids: number[] }

export interface OciSpecInput {
  id: string;
  /** containerd namespace (the cgroup parent). */
  namespace: string;
  argv: string[];
  /** Image env first; later entries replace earlier ones with the same name. */
  env: string[];
  cwd: string;
  user: OciUser;
  /** Own network + UTS namespaces (paths), or the host's network. */
  netns?: { network: string; uts: string };
  hostname: string;
  /** Bind mounts in order (a later one over the same destination wins). */
  mounts: { source: string; destination: string; readOnly: boolean }[];
  memoryBytes?: number;
  cpu?: { quota: number; period: number };
}

const DEFAULT_PATH = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
const CAPS = [
  'CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_FSETID', 'CAP_FOWNER', 'CAP_MKNOD', 'CAP_NET_RAW', 'CAP_SETGID', 'CAP_SETUID',
  'CAP_SETFCAP', 'CAP_SETPCAP', 'CAP_NET_BIND_SERVICE', 'CAP_SYS_CHROOT', 'CAP_KILL', 'CAP_AUDIT_WRITE',
];
// null, zero, full, random, urandom, tty, console, ptmx, pts/*, tty (5:0 ... 136:*)
const DEVICES: [number, number | undefined][] = [[1, 3], [1, 8], [1, 7], [5, 0], [1, 5], [1, 9], [5, 1], [136, undefined], [5, 2]];

/** Merges env lists: `NAME=value` entries replace an earlier entry of the same NAME. */
export function mergeEnv(...lists: string[][]): string[] {
  const out: string[] = [];
  const at = new Map<string, number>();
  for (const e of lists.flat()) {
    const name = e.includes('=') ? e.slice(0, e.indexOf('=')) : e;
    const i = at.get(name);
    if (i === undefined) { at.set(name, out.length); out.push(e); } else out[i] = e;
  }
  return out;
}

/** The image's env as WithImageConfig applies it: a default PATH when the image has none. */
export function imageEnv(ic: ImageConfig): string[] {
  return ic.env.some((e) => e.startsWith('PATH=')) ? ic.env : [DEFAULT_PATH, ...ic.env];
}

export function buildOciSpec(i: OciSpecInput): object {
  const mounts: object[] = [
    { destination: '/proc', type: 'proc', source: 'proc', options: ['nosuid', 'noexec', 'nodev'] },
    { destination: '/dev', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k'] },
    { destination: '/dev/pts', type: 'devpts', source: 'devpts', options: ['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620', 'gid=5'] },
    { destination: '/dev/shm', type: 'tmpfs', source: 'shm', options: ['nosuid', 'noexec', 'nodev', 'mode=1777', 'size=65536k'] },
    { destination: '/dev/mqueue', type: 'mqueue', source: 'mqueue', options: ['nosuid', 'noexec', 'nodev'] },
    { destination: '/sys', type: 'sysfs', source: 'sysfs', options: ['nosuid', 'noexec', 'nodev', 'ro'] },
    { destination: '/run', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k'] },
    ...i.mounts.map((m) => ({ destination: m.destination, type: 'bind', source: m.source, options: ['rbind', m.readOnly ? 'ro' : 'rw'] })),
  ];
  const namespaces: object[] = [{ type: 'pid' }, { type: 'ipc' }];
  if (i.netns) namespaces.push({ type: 'uts', path: i.netns.uts }, { type: 'mount' }, { type: 'network', path: i.netns.network });
  else namespaces.push({ type: 'uts' }, { type: 'mount' });
  const env = i.netns ? i.env : mergeEnv([`HOSTNAME=${i.hostname}`], i.env);
  return {
    ociVersion: '1.0.2-dev',
    process: {
      user: i.user,
      args: i.argv,
      env,
      cwd: i.cwd || '/',
      capabilities: { bounding: CAPS, effective: CAPS, permitted: CAPS },
      rlimits: [{ type: 'RLIMIT_NOFILE', hard: 1024, soft: 1024 }],
      noNewPrivileges: true,
    },
    root: { path: 'rootfs' },
    mounts,
    linux: {
      resources: {
        devices: [
          { allow: false, access: 'rwm' },
          ...DEVICES.map(([major, minor]) => ({ allow: true, type: 'c', major, ...(minor !== undefined ? { minor } : {}), access: 'rwm' })),
        ],
        ...(i.memoryBytes ? { memory: { limit: i.memoryBytes } } : {}),
        cpu: { shares: 1024, ...(i.cpu ? { quota: i.cpu.quota, period: i.cpu.period } : {}) },
      },
      cgroupsPath: `/${i.namespace}/${i.id}`,
      namespaces,
      maskedPaths: ['/proc/acpi', '/proc/asound', '/proc/kcore', '/proc/keys', '/proc/latency_stats', '/proc/timer_list', '/proc/timer_stats', '/proc/sched_debug', '/sys/firmware', '/proc/scsi'],
      readonlyPaths: ['/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger'],
    },
  };
}

/** A numeric `uid[:gid]` user without looking at the image's files; undefined when names are involved. */
export function numericUser(user: string | undefined): OciUser | undefined {
  if (!user) return { uid: 0, gid: 0, additionalGids: [0] };
  const m = /^(\d+)(?::(\d+))?$/.exec(user);
  if (!m) return undefined;
  const uid = Number(m[1]);
  const gid = m[2] !== undefined ? Number(m[2]) : 0;
  return { uid, gid, additionalGids: [gid] };
}

/** Resolves `user[:group]` (names or numbers) with the image's /etc/passwd and /etc/group text. */
export function userFromPasswd(user: string, passwd: string, group: string): OciUser {
  const [u = '', g] = user.split(':');
  const pw = passwd.split('\n').map((l) => l.split(':')).filter((f) => f.length >= 4);
  const gr = group.split('\n').map((l) => l.split(':')).filter((f) => f.length >= 3);
  const entry = /^\d+$/.test(u) ? pw.find((f) => f[2] === u) : pw.find((f) => f[0] === u);
  if (!entry && !/^\d+$/.test(u)) throw new Error(`unable to find user ${u}: no matching entries in passwd file`);
  const uid = entry ? Number(entry[2]) : Number(u);
  let gid = entry ? Number(entry[3]) : 0;
  if (g !== undefined) {
    if (/^\d+$/.test(g)) gid = Number(g);
    else {
      const ge = gr.find((f) => f[0] === g);
      if (!ge) throw new Error(`unable to find group ${g}: no matching entries in group file`);
      gid = Number(ge[2]);
    }
  }
  const name = entry?.[0];
  const extra = name ? gr.filter((f) => (f[3] ?? '').split(',').includes(name)).map((f) => Number(f[2])) : [];
  return { uid, gid, additionalGids: [...new Set([gid, ...extra])] };
}
