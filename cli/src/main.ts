#!/usr/bin/env node
// The `k8ts` command: up / down / status of a local cluster, image load. Only parses arguments and maps
// errors to exit codes; the commands live in commands/.
import { createLogger } from '@k8ts/shared';
import { USAGE, parseCliArgs } from './cli-args.js';
import { CliError } from './cli-error.js';
import { down } from './commands/down.js';
import { imageLoad } from './commands/image-load.js';
import { status } from './commands/status.js';
import { up } from './commands/up.js';

const log = createLogger('k8ts-cli', process.env.LOG_LEVEL ?? 'warn');

async function main(argv: readonly string[]): Promise<number> {
  const args = parseCliArgs(argv);
  const opts = { stateDir: args.stateDir, overrides: args.overrides };
  log.debug({ args }, 'k8ts command');
  switch (args.command) {
    case 'help':
      process.stdout.write(USAGE + '\n');
      return 0;
    case 'up':
      await up(opts);
      return 0;
    case 'down':
      await down(opts);
      return 0;
    case 'status':
      await status(opts);
      return 0;
    case 'image-load':
      await imageLoad({ ...opts, files: args.files ?? [] });
      return 0;
  }
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err: unknown) => {
    if (err instanceof CliError) {
      process.stderr.write(`error: ${err.message}\n`);
      process.exitCode = err.exitCode;
    } else {
      log.error({ err }, 'k8ts failed');
      process.stderr.write(`error: ${(err as Error)?.message ?? String(err)}\n`);
      process.exitCode = 1;
    }
  },
);
