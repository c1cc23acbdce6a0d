// Structured logging (pino). Every component gets a child logger named after itself.
// LOG_LEVEL sets the level (default info); logs go to stderr so stdout stays free for data.
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(component: string, level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ name: component, level, base: { component } }, pino.destination(2));
}
