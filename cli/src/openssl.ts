// Runs the `openssl` CLI. Contract: resolves with stdout; rejects with an Error that names the
// subcommand and carries openssl's stderr, or says that openssl is missing.
import { execFile } from 'node:child_process';

export function openssl(args: string[], opts: { bin?: string } = {}): Promise<string> {
  const bin = opts.bin ?? process.env.OPENSSL_BIN ?? 'openssl';
  return new Promise((resolve, reject) => {
    execFile(bin, args, { encoding: 'utf8', maxBuffer: 4 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (!err) return resolve(stdout);
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        return reject(new Error(`${bin} not found: install it (apt-get install -y openssl) or run scripts/install-deps.sh`));
      }
      reject(new Error(`openssl ${args[0]} failed: ${stderr.trim() || err.message}`));
    });
  });
}
