import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/** The repository's node_modules, which temporary apps borrow so that they resolve cdk8s. */
export const REPO_ROOT = resolve(__dirname, '..', '..');

export interface TempApp {
  readonly dir: string;
  write(path: string, content: string): void;
  path(relative: string): string;
  remove(): void;
}

/** A throw-away user project outside the repository, with the given files and the repo's packages. */
export function tempApp(files: Record<string, string> = {}): TempApp {
  const dir = mkdtempSync(join(tmpdir(), 'imagestreams-app-'));
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  const app: TempApp = {
    dir,
    write(path, content) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), content);
    },
    path: (relative) => join(dir, relative),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
  for (const [path, content] of Object.entries(files)) app.write(path, content);
  return app;
}

/** A main.ts building one chart from the given statements (`chart` and `app` are in scope). */
export function appSource(body: string, imports = ''): string {
  return `import { App, Chart, ApiObject } from 'cdk8s';\n${imports}\nconst app = new App();\nconst chart = new Chart(app, 'main');\n${body}\napp.synth();\n`;
}
