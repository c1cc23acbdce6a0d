#!/usr/bin/env node
// Writes an OCI image layout tarball from one uncompressed rootfs layer tar and an image config.
//
// Usage: node images/oci-archive.mjs --layer LAYER.tar --config CONFIG.json --name NAME:TAG --out OUT.tar
//   CONFIG.json holds the image's runtime config (Entrypoint, Cmd, Env, WorkingDir, ExposedPorts,
//   StopSignal, User); `rootfs`, `architecture`, `os` and `history` are added here.
//
// Contract: deterministic for equal inputs (fixed mtimes, gzip -n); the index carries both
// `org.opencontainers.image.ref.name` (the tag) and containerd's `io.containerd.image.name`
// (the full normalized reference, docker.io/library/NAME:TAG) so `ctr images import` names it.
// Writes OUT.tar atomically (OUT.tar.tmp, then rename). Not handled: multi-layer or multi-arch.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync, renameSync, rmSync, createReadStream, utimesSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { layer: { type: 'string' }, config: { type: 'string' }, name: { type: 'string' }, out: { type: 'string' } } });
if (!values.layer || !values.config || !values.name || !values.out) {
  console.error('usage: oci-archive.mjs --layer LAYER.tar --config CONFIG.json --name NAME:TAG --out OUT.tar');
  process.exit(2);
}

async function sha256File(path) {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk);
  return h.digest('hex');
}

function normalize(ref) {
  let name = ref, tag = 'latest';
  const colon = ref.lastIndexOf(':');
  if (colon > ref.lastIndexOf('/')) { name = ref.slice(0, colon); tag = ref.slice(colon + 1); }
  const first = name.split('/')[0];
  const hasRegistry = name.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (!hasRegistry) name = name.includes('/') ? `docker.io/${name}` : `docker.io/library/${name}`;
  return { full: `${name}:${tag}`, tag };
}

const work = mkdtempSync(join(tmpdir(), 'k8ts-oci-'));
try {
  const blobs = join(work, 'blobs', 'sha256');
  mkdirSync(blobs, { recursive: true });
  const diffId = await sha256File(values.layer);
  const gz = join(work, 'layer.tar.gz');
  execFileSync('sh', ['-c', 'gzip -n -c "$1" > "$2"', 'sh', values.layer, gz]);
  const layerDigest = await sha256File(gz);
  const layerSize = readFileSync(gz).length;
  renameSync(gz, join(blobs, layerDigest));

  const runtimeConfig = JSON.parse(readFileSync(values.config, 'utf8'));
  const created = '2024-01-01T00:00:00Z';
  const config = {
    created,
    architecture: 'amd64',
    os: 'linux',
    config: runtimeConfig,
    rootfs: { type: 'layers', diff_ids: [`sha256:${diffId}`] },
    history: [{ created, created_by: `k8ts images/build.sh (${values.name})` }],
  };
  const configBytes = Buffer.from(JSON.stringify(config));
  const configDigest = createHash('sha256').update(configBytes).digest('hex');
  writeFileSync(join(blobs, configDigest), configBytes);

  const manifest = {
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: `sha256:${configDigest}`, size: configBytes.length },
    layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: `sha256:${layerDigest}`, size: layerSize }],
  };
  const manifestBytes = Buffer.from(JSON.stringify(manifest));
  const manifestDigest = createHash('sha256').update(manifestBytes).digest('hex');
  writeFileSync(join(blobs, manifestDigest), manifestBytes);

  const ref = normalize(values.name);
  const index = {
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    manifests: [{
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      digest: `sha256:${manifestDigest}`,
      size: manifestBytes.length,
      platform: { architecture: 'amd64', os: 'linux' },
      annotations: { 'io.containerd.image.name': ref.full, 'org.opencontainers.image.ref.name': ref.tag },
    }],
  };
  writeFileSync(join(work, 'index.json'), JSON.stringify(index));
  writeFileSync(join(work, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  const fixed = new Date(created);
  for (const f of ['index.json', 'oci-layout', 'blobs', 'blobs/sha256', ...readdirSync(blobs).map((b) => `blobs/sha256/${b}`)]) utimesSync(join(work, f), fixed, fixed);
  const tmpOut = `${values.out}.tmp`;
  execFileSync('tar', ['--sort=name', '--owner=0', '--group=0', '--numeric-owner', '-C', work, '-cf', tmpOut, 'oci-layout', 'index.json', 'blobs']);
  renameSync(tmpOut, values.out);
  console.log(`${values.out}: ${ref.full} sha256:${manifestDigest}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
