// The process side of every long-running component's entry point (apiserver, scheduler,
// controller-manager, kubelet, kube-proxy, dns): flags → start → run until SIGTERM/SIGINT.
//
// Contract:
// - parseFlags throws FlagError for bad flags: the message and the usage go to stderr, exit 2.
//   isHelp(flags) true (default: a truthy `help` flag): the usage goes to stdout, exit 0.
// - start(flags, log) brings the component up; a failure is logged as fatal, exit 1. Once up,
//   SIGTERM/SIGINT run close() (with `shutdownMessage` logged first) and exit 0 (signals.ts).
// - A rejected promise nobody handled is logged and the process keeps serving (the work is
//   retried by whoever owns it). An uncaught exception leaves unknown state: logged as fatal,
//   exit 1 (the supervisor restarts the component) — unless `tolerate(err)` says it concerns
//   one request or stream only, in which case it is logged and the process continues.
import { FlagError } from './flags.js';
import { createLogger, type Logger } from './logger.js';
import { onShutdown } from './signals.js';

export interface ComponentMain<F> {
  name: string;
  usage: string;
  parseFlags(argv: string[]): F;
  isHelp?(flags: F): boolean;
  start(flags: F, log: Logger): Promise<{ close(): Promise<void> | void }>;
  shutdownMessage?: string;
  tolerate?(err: unknown): boolean;
}

export async function runComponentMain<F>(m: ComponentMain<F>, argv = process.argv.slice(2)): Promise<void> {
  const log = createLogger(m.name);
  process.on('unhandledRejection', (err) => log.error({ err }, 'unhandled rejection; continuing'));
  process.on('uncaughtException', (err) => {
    if (m.tolerate?.(err)) {
      log.error({ err }, 'error outside any request; continuing');
      return;
    }
    log.fatal({ err }, 'uncaught exception');
    process.exit(1);
  });
  let flags: F;
  try {
    flags = m.parseFlags(argv);
  } catch (e) {
    if (!(e instanceof FlagError)) throw e;
    process.stderr.write(`${e.message}\n\n${m.usage}`);
    process.exit(2);
  }
  if (m.isHelp ? m.isHelp(flags) : !!(flags as { help?: unknown }).help) {
    process.stdout.write(m.usage);
    process.exit(0);
  }
  try {
    const component = await m.start(flags, log);
    onShutdown(async () => {
      log.info(m.shutdownMessage ?? 'shutting down');
      await component.close();
    });
  } catch (err) {
    log.fatal({ err }, `${m.name} failed to start`);
    process.exit(1);
  }
}
