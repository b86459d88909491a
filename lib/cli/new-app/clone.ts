import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../../compiler/diagnostics';

/** A shallow clone in a temporary folder, and the branch it checked out. */
export interface Clone {
  readonly dir: string;
  readonly branch?: string;
  remove(): void;
}

function git(args: readonly string[], cwd?: string): Promise<string> {
  return new Promise((done, fail) => {
    execFile('git', args, { cwd, env: { ...process.env, GIT_TERMINAL_PROMPT: '0' }, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) fail(new Error(stderr.trim() || error.message));
      else done(stdout.trim());
    });
  });
}

/** `git clone --depth 1 [--branch ref]`: the newest commit only, as `oc new-app` reads a repository. */
export async function shallowClone(url: string, ref?: string): Promise<Clone> {
  const dir = mkdtempSync(join(tmpdir(), 'imagestreams-new-app-'));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  try {
    await git(['clone', '--quiet', '--depth', '1', ...(ref ? ['--branch', ref] : []), '--', url, join(dir, 'repo')]);
  } catch (e) {
    remove();
    throw UserError.of(`cannot clone ${url}${ref ? ` at ${ref}` : ''}: ${(e as Error).message.split('\n').pop()}`, {
      notes: ['new-app reads the repository to choose how to build it: give a URL git can clone from here (https://, ssh://, file://), and --ref for a branch other than the default'],
    });
  }
  const branch = await git(['rev-parse', '--abbrev-ref', 'HEAD'], join(dir, 'repo')).catch(() => undefined);
  return { dir: join(dir, 'repo'), branch: branch && branch !== 'HEAD' ? branch : ref, remove };
}
