// Kubernetes' command/args rules (Container.command/args vs the image's Entrypoint/Cmd):
//   neither given            → image Entrypoint + image Cmd
//   command only             → command (image Cmd ignored)
//   args only                → image Entrypoint + args
//   command and args         → command + args
// $(VAR) references in command and args are expanded with the container's final env.
// When the image config is unknown (runtime without imageConfig()), the image parts are left
// empty and the runtime applies its own defaults (see runtime/image-config.ts). Pure.
import type { ImageConfig } from '../runtime/image-config.js';
import { expand } from './expansion.js';

export function resolveCommand(
  container: { command?: string[]; args?: string[] },
  image: Pick<ImageConfig, 'entrypoint' | 'cmd'> | undefined,
  lookup: (name: string) => string | undefined,
): { command: string[]; args: string[] } {
  const cmd = container.command ?? [];
  const args = container.args ?? [];
  let command: string[];
  let finalArgs: string[];
  if (cmd.length > 0) {
    command = cmd;
    finalArgs = args;
  } else if (args.length > 0) {
    command = image?.entrypoint ?? [];
    finalArgs = args;
  } else {
    command = image?.entrypoint ?? [];
    finalArgs = image?.cmd ?? [];
  }
  const ex = (s: string): string => expand(s, lookup);
  // Only the pod's own strings are expanded (upstream expands command/args from the spec).
  return {
    command: cmd.length > 0 ? command.map(ex) : command,
    args: args.length > 0 ? finalArgs.map(ex) : finalArgs,
  };
}
