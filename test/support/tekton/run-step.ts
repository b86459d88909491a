import { spawn } from 'node:child_process';
import { chmod, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { SecurityContext } from '../../../constructs/tekton';

/** A host directory that the step sees at `mountPath` (a volume the container would have); a file is bound over the file there. */
export interface HostMount {
  readonly hostDir: string;
  readonly mountPath: string;
}

export interface StepProcess {
  readonly script: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly cwd: string;
  readonly mounts: readonly HostMount[];
  readonly securityContext?: SecurityContext;
  /** Where to write the script file. */
  readonly scriptDir: string;
}

export interface StepExit {
  readonly exitCode: number;
  readonly log: string;
}

// Runs in a private mount namespace: bind each mount, then exec the rest of the arguments.
const LAUNCHER = 'set -e; while [ "$1" != -- ]; do if [ -d "$1" ]; then mkdir -p "$2"; elif [ ! -e "$2" ]; then : > "$2"; fi; mount --bind "$1" "$2"; shift 2; done; shift; exec "$@"';

/** Tekton runs a script without `#!` as `#!/bin/sh` with `set -e`. */
export function scriptFileText(script: string): string {
  return script.startsWith('#!') ? script : `#!/bin/sh\nset -e\n${script}`;
}

/**
 * The step's securityContext, applied with setpriv: the capability bounding set (so a step that
 * needs more than it declares fails here as in a pod), no_new_privs and the uid/gid.
 * Seccomp profiles are not emulated.
 */
export function privilegeArgs(context: SecurityContext | undefined): string[] {
  if (!context) return [];
  const args: string[] = [];
  const caps = context.capabilities;
  if (caps?.drop?.includes('ALL')) {
    const keep = (caps.add ?? []).map((cap) => `,+${cap.toLowerCase()}`).join('');
    args.push(`--bounding-set=-all${keep}`, '--inh-caps=-all');
  }
  if (context.allowPrivilegeEscalation === false) args.push('--no-new-privs');
  if (context.runAsUser !== undefined && context.runAsUser !== 0) {
    args.push(`--reuid=${context.runAsUser}`, `--regid=${context.runAsGroup ?? 0}`, '--clear-groups');
  }
  return args.length > 0 ? ['setpriv', ...args, '--'] : [];
}

export async function runStepProcess(step: StepProcess, name: string): Promise<StepExit> {
  const scriptFile = path.join(step.scriptDir, `${name}.sh`);
  await writeFile(scriptFile, scriptFileText(step.script));
  await chmod(scriptFile, 0o755);
  const mountArgs = step.mounts.flatMap((mount) => [mount.hostDir, mount.mountPath]);
  const argv = [
    '--mount', '--propagation', 'private', '--', '/bin/sh', '-c', LAUNCHER, 'launcher',
    ...mountArgs, '--', ...privilegeArgs(step.securityContext), scriptFile, ...step.args,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn('unshare', argv, { cwd: step.cwd, env: { ...step.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      resolve({ exitCode: code ?? (signal ? 128 : 1), log: Buffer.concat(chunks).toString('utf8') });
    });
  });
}
