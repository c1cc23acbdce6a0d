// An error meant for the user: main prints its message (no stack trace) and exits with `exitCode`.
export class CliError extends Error {
  readonly code = 'K8TS_ERR_CLI';
  constructor(message: string, readonly exitCode = 1) {
    super(message);
    this.name = 'CliError';
  }
}
