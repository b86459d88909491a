import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fileSystemProblem } from '../../lib/cli/main';
import { cli } from '../support/cli';
import { appSource, REPO_ROOT, tempApp, type TempApp } from '../support/temp-app';

const apps: TempApp[] = [];
afterEach(() => apps.splice(0).forEach((a) => a.remove()));
const VERSION = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

describe('imagestreams, as its peers behave', () => {
  it.each(['--version', '-V', 'version'])('%s prints the version, exit 0', async (flag) => {
    expect(await cli(REPO_ROOT, flag)).toEqual({ code: 0, stdout: `${VERSION}\n`, stderr: '' });
  });

  it('lists every command, and help COMMAND is COMMAND --help for each', async () => {
    const main = await cli(REPO_ROOT, '--help');
    const names = [...main.stdout.split('Commands:\n')[1].split('\n\n')[0].matchAll(/^ {2}([a-z-]+) /gm)].map((m) => m[1]);
    expect(names.length).toBeGreaterThanOrEqual(17);
    for (const name of names) {
      const help = await cli(REPO_ROOT, 'help', name);
      expect(help.code, name).toBe(0);
      expect(help.stdout, name).toMatch(new RegExp(`^Usage: imagestreams ${name}\\b`));
      expect(await cli(REPO_ROOT, name, '--help'), name).toEqual(help);
      expect(await cli(REPO_ROOT, name, '-h'), name).toEqual(help);
    }
  });

  it('documents the exit codes in its help, and exits 2 with the help on stderr when called without a command', async () => {
    const bare = await cli(REPO_ROOT);
    expect(bare.code).toBe(2);
    expect(bare.stdout).toBe('');
    expect(bare.stderr).toContain('Exit codes: 0 success, 1 an error in the app, its files or the cluster, 2 a wrong command line,\n3 an internal error (a bug of ours: please report it).');
    expect(await cli(REPO_ROOT, 'help', 'nope')).toEqual({ code: 2, stdout: '', stderr: "error: unknown command 'nope'\nsee 'imagestreams --help'\n" });
  });

  it('reports a path that cannot be a folder as the user\'s mistake (ENOTDIR), exit 1, not an internal error', async () => {
    const app = tempApp({ 'main.ts': appSource("new ApiObject(chart, 'cm', { apiVersion: 'v1', kind: 'ConfigMap' });"), 'afile': 'x' });
    apps.push(app);
    const run = await cli(app.dir, 'synth', 'main.ts', '--out', 'afile/out');
    expect(run).toEqual({ code: 1, stdout: '', stderr: 'error: afile/out: a part of this path is a file where a folder is needed (ENOTDIR on stat)\n' });
  });

  it.runIf(process.platform === 'linux')('reports a folder it cannot create (under /proc), exit 1, where Node would wait forever', async () => {
    const app = tempApp({ 'main.ts': appSource("new ApiObject(chart, 'cm', { apiVersion: 'v1', kind: 'ConfigMap' });") });
    apps.push(app);
    expect(await cli(app.dir, 'synth', 'main.ts', '--out', '/proc/imagestreams-out')).toEqual({
      code: 1, stdout: '', stderr: 'error: /proc/imagestreams-out: cannot create the folder /proc/imagestreams-out (ENOENT)\n  note: give --out a folder you can write, e.g. --out dist\n',
    });
  });

  it('reads a file given where a folder of YAML is expected, and a folder where a file is, with the path named', async () => {
    const app = tempApp({});
    apps.push(app);
    writeFileSync(app.path('notes.txt'), 'hello');
    const run = await cli(app.dir, 'convert', 'notes.txt/x.yaml');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error: notes\.txt\/x\.yaml/);
    expect(run.stderr).not.toContain('internal error');
  });

  it.each([
    ['EACCES', 'open', 'permission denied: check its permissions and those of the folders above it (EACCES on open)'],
    ['EPERM', 'unlink', 'operation not permitted: check its permissions and those of the folders above it (EPERM on unlink)'],
    ['EROFS', 'mkdir', 'is on a read-only file system (EROFS on mkdir)'],
    ['EISDIR', 'read', 'is a folder where a file is needed (EISDIR on read)'],
    ['ENOSPC', 'write', 'no space is left on the device (ENOSPC on write)'],
  ])('names the path and what %s means for it', (code, syscall, says) => {
    const error = Object.assign(new Error(`${code}: ${syscall} '/app/dist/x.yaml'`), { code, syscall, path: '/app/dist/x.yaml' });
    expect(fileSystemProblem(error, '/app')).toBe(`dist/x.yaml: ${says}`);
    expect(fileSystemProblem(error, '/elsewhere')).toBe(`/app/dist/x.yaml: ${says}`);
  });

  it('leaves errors that are no file system error to be reported as ours', () => {
    expect(fileSystemProblem(new TypeError('x is undefined'), '/app')).toBeUndefined();
    expect(fileSystemProblem(Object.assign(new Error('socket'), { code: 'ECONNRESET' }), '/app')).toBeUndefined();
  });
});
