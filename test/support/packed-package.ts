/**
 * The package as a user gets it: `npm pack` of this checkout, installed by npm into a fresh app
 * outside the repository, next to the peer versions the test names.
 */
import { execFileSync, type ExecFileSyncOptions } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { REPO_ROOT } from './temp-app';

let tarball: string | undefined;

/**
 * The tarball `npm pack` makes of this checkout (its prepack builds the package), once per test
 * process. Packing writes build/ in the repository, so processes take turns (a lock folder).
 */
export function packedTarball(): string {
  if (tarball) return tarball;
  const destination = mkdtempSync(join(tmpdir(), 'imagestreams-tarball-'));
  const packed = withLock(join(tmpdir(), 'cdk8s-imagestreams-pack.lock'), () =>
    execFileSync('npm', ['pack', '--json', '--pack-destination', destination], { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }));
  tarball = join(destination, (JSON.parse(packed) as { filename: string }[])[0].filename);
  return tarball;
}

export interface ConsumerApp {
  readonly dir: string;
  write(path: string, content: string): void;
  path(relative: string): string;
  /** Runs `command` in the app (or `cwd` under it); throws with its output when it fails. */
  run(command: string, args: readonly string[], options?: { cwd?: string; env?: NodeJS.ProcessEnv }): string;
  remove(): void;
}

/**
 * A fresh app in a folder of its own (a package.json, `files`), with `packages` installed by
 * `npm install` as a user would type it: the tarball's path is substituted for `TARBALL`.
 */
export function consumerApp(packages: readonly string[], files: Record<string, string> = {}): ConsumerApp {
  const dir = mkdtempSync(join(tmpdir(), 'imagestreams-consumer-'));
  const cache = join(dir, '.imagestreams-cache');
  const app: ConsumerApp = {
    dir,
    write(path, content) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), content);
    },
    path: (relative) => join(dir, relative),
    run(command, args, options = {}) {
      const opts: ExecFileSyncOptions = {
        cwd: options.cwd ?? dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024,
        env: { ...process.env, IMAGESTREAMS_CACHE_DIR: cache, npm_config_update_notifier: 'false', ...options.env },
      };
      try {
        return execFileSync(command, args, opts) as string;
      } catch (error) {
        const e = error as { status?: number; stdout?: string; stderr?: string };
        throw new Error(`${command} ${args.join(' ')} exited ${e.status}:\n${e.stdout ?? ''}${e.stderr ?? ''}`);
      }
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
  app.write('package.json', `${JSON.stringify({ name: 'consumer', private: true, version: '1.0.0' }, null, 2)}\n`);
  for (const [path, content] of Object.entries(files)) app.write(path, content);
  if (packages.length > 0) {
    const resolved = packages.map((p) => (p === 'TARBALL' ? packedTarball() : p));
    app.run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', ...resolved]);
  }
  return app;
}

/** Runs `fn` while holding the lock folder `lock` (mkdir is atomic); a lock older than 5 minutes was left by a killed process. */
function withLock<T>(lock: string, fn: () => T): T {
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now()) > 5 * 60_000) rmSync(lock, { recursive: true, force: true });
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
  try {
    return fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
