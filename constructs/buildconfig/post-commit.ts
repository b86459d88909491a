/**
 * OpenShift's build hook (`spec.postCommit`): a command run in a container of the built image after
 * it is built and before it is pushed. Its failure fails the build, and nothing is pushed.
 * @see https://docs.openshift.com/container-platform/latest/cicd/builds/triggering-builds-build-hooks.html
 */
export interface BuildPostCommit {
  /**
   * A shell script, run with `/bin/sh -c` (`args`, when given, are its $1, $2 …).
   * @default - none: give `command` instead
   */
  readonly script?: string;
  /**
   * The command to run, as an exec array, e.g. `['npm', 'test']`.
   * @default - none: give `script` instead
   */
  readonly command?: readonly string[];
  /**
   * Arguments after the command (or the script's positional arguments).
   * @default - none
   */
  readonly args?: readonly string[];
}

/** The hook checked: exactly one of script and command, nothing empty. `at` is `[construct/path]`. */
export function checkPostCommit(at: string, hook: BuildPostCommit): BuildPostCommit {
  const { script, command, args } = hook;
  if (script === undefined && command === undefined) {
    throw new Error(`${at} 'postCommit' needs 'script' (run with /bin/sh -c) or 'command' (an exec array): an image's own entrypoint is not run as a hook here`);
  }
  if (script !== undefined && command !== undefined) {
    throw new Error(`${at} 'postCommit' has both 'script' and 'command': give one (a script runs with /bin/sh -c)`);
  }
  if (script !== undefined && (typeof script !== 'string' || script.trim() === '')) {
    throw new Error(`${at} 'postCommit.script' (${JSON.stringify(script)}) is empty: write the commands to run, e.g. 'npm test'`);
  }
  if (command !== undefined && (!Array.isArray(command) || command.length === 0 || command[0] === '')) {
    throw new Error(`${at} 'postCommit.command' (${JSON.stringify(command)}) must name a program, e.g. ['npm', 'test']`);
  }
  for (const [prop, items] of [['command', command], ['args', args]] as const) {
    const bad = (items ?? []).find((item) => typeof item !== 'string' || item.includes('\0'));
    if (bad !== undefined) throw new Error(`${at} 'postCommit.${prop}' has an item that is not text (${JSON.stringify(bad)}): give strings without NUL`);
  }
  return { ...(script !== undefined ? { script } : {}), ...(command ? { command: [...command] } : {}), ...(args?.length ? { args: [...args] } : {}) };
}
