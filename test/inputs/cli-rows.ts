import { join } from 'node:path';
import { REPO_ROOT } from '../support/temp-app';

/**
 * A hand-written wrong command line (run in an app folder holding the FILES below; `@/` starts a path
 * in that folder, for options read relative to the process), its exit code and what stderr must say.
 */
export type CliRow = readonly [what: string, argv: readonly string[], code: 1 | 2, says: string];

const GOOD = `import { App, Chart } from 'cdk8s';
import { ImageStream, System } from '${join(REPO_ROOT, 'constructs')}';
const app = new App();
new System(app, 'imagestreams');
new ImageStream(new Chart(app, 'apps', { namespace: 'team' }), 'web').importTag('latest', { from: 'nginx:1.27' });
app.synth();
`;

/** The app folder every CLI row runs in. */
export const CLI_FILES: Record<string, string> = {
  'main.ts': GOOD,
  'interval.ts': GOOD.replace("{ from: 'nginx:1.27' }", "{ from: 'nginx:1.27', interval: 15 as any }"),
  'two-systems.ts': GOOD.replace("new System(app, 'imagestreams');", "new System(app, 'imagestreams');\nnew System(app, 'second');"),
  'empty.ts': "import { App } from 'cdk8s';\nnew App().synth();\n",
  'syntax.ts': 'const = 1;\n',
  'types.ts': 'const n: number = "one";\nexport { n };\n',
  'namespace.ts': GOOD.replace("namespace: 'team'", "namespace: 'Team A'"),
  'afile': 'not a folder',
  'notes.txt': 'hello',
  'empty-dir/.keep': '',
  'bad.yaml': 'kind: [\n',
  'number.yaml': '42\n',
  'no-kind.yaml': 'apiVersion: v1\nmetadata:\n  name: x\n',
  'list.yaml': 'apiVersion: v1\nkind: List\nitems: 3\n',
  'kubeconfig-bad': 'this: is: not: a kubeconfig',
};

export const CLI_ROWS: readonly CliRow[] = [
  // usage: exit 2, naming the command whose --help to read
  ['unknown command', ['sytnh'], 2, "error: unknown command 'sytnh'"],
  ['unknown option', ['synth', '--outdir', 'x'], 2, "error: Unknown option '--outdir'"],
  ['extra argument', ['synth', 'main.ts', 'other.ts'], 2, "error: unexpected argument 'other.ts'\nsee 'imagestreams synth --help'"],
  ['option without value', ['synth', 'main.ts', '--out'], 2, "error: Option '-o, --out <value>' argument missing"],
  ['synth unknown layout', ['synth', 'main.ts', '--layout', 'flat'], 2, "error: --layout must be 'chart' or 'resource', not 'flat'"],
  ['check two entries', ['check', 'main.ts', 'types.ts'], 2, "error: unexpected argument 'types.ts'\nsee 'imagestreams check --help'"],
  ['get without what', ['get'], 2, "error: name what to list: get builds\nsee 'imagestreams get --help'"],
  ['get pods', ['get', 'pods'], 2, "error: get lists builds and imagestreams (is), not 'pods'"],
  ['import-image without stream', ['import-image'], 2, 'error: the STREAM argument is missing'],
  ['resolve without image', ['resolve'], 2, 'error: the IMAGE argument is missing'],
  ['tag without destination', ['tag', 'web:latest'], 2, 'error: the DST argument is missing'],
  ['describe without name', ['describe'], 2, 'error: name what to describe: describe is/NAME'],
  ['logs without build', ['logs'], 2, 'error: name the build: logs build/NAME or logs bc/NAME'],
  ['start-build without name', ['start-build'], 2, 'error: the BUILDCONFIG argument is missing'],
  ['cancel-build without build', ['cancel-build'], 2, 'error: the BUILD argument is missing'],
  ['promote one tag', ['promote', 'web:staging'], 2, 'error: the DST argument is missing'],
  ['rollback without tag', ['rollback'], 2, 'error: the STREAM:TAG argument is missing'],
  ['convert without input', ['convert'], 2, 'error: give the OpenShift manifests to convert: a file, a folder, or - for stdin'],
  ['new-app without url', ['new-app'], 2, 'error: give the git repository of the app, e.g. imagestreams new-app'],
  ['prune what', ['prune', 'everything'], 2, "error: prune removes images or builds, not 'everything'"],
  ['provenance without tag', ['provenance'], 2, 'error: the STREAM:TAG argument is missing'],
  ['graph unknown option', ['graph', '--colour'], 2, "error: Unknown option '--colour'"],
  ['help of unknown command', ['help', 'sytnh'], 2, "error: unknown command 'sytnh'"],
  // the user's files and app: exit 1, naming the file, line or construct path
  ['missing entry', ['synth', 'missing.ts'], 1, 'error: entry missing.ts does not exist'],
  ['entry under a file', ['synth', 'afile/main.ts'], 1, 'error: entry afile/main.ts does not exist'],
  ['out is a file', ['synth', 'main.ts', '--out', 'afile'], 1, 'error: afile is a file, not a folder'],
  ['out under a file', ['synth', 'main.ts', '--out', 'afile/out'], 1, 'error: afile/out: a part of this path is a file where a folder is needed (ENOTDIR on stat)'],
  ['out under /proc', ['synth', 'main.ts', '--out', '/proc/imagestreams-out'], 1, 'error: /proc/imagestreams-out: cannot create the folder /proc/imagestreams-out (ENOENT)'],
  ['out is a foreign folder', ['synth', 'main.ts', '--out', 'empty-dir/..'], 1, 'error: empty-dir/.. is not empty and was not written by imagestreams synth'],
  ['interval a number', ['synth', 'interval.ts'], 1, "error: [apps/web] importTag('latest'): 'interval' (15) must be a cdk8s Duration, e.g. Duration.minutes(15)"],
  ['two Systems', ['synth', 'two-systems.ts'], 1, "error: [second] the app already has a System ('imagestreams')"],
  ['empty synthesis', ['synth', 'empty.ts'], 1, 'error: empty.ts synthesized nothing: its App has no charts'],
  ['syntax error', ['synth', 'syntax.ts'], 1, 'syntax.ts:1:7: error: Expected identifier but found "="'],
  ['chart namespace with a space', ['synth', 'namespace.ts'], 1, "error: [apps/web] the namespace of chart 'apps' (Team A) is not a namespace name"],
  ['type error', ['check', 'types.ts'], 1, "types.ts:1:7: error: Type 'string' is not assignable to type 'number'. (TS2322)"],
  ['check missing entry', ['check', 'missing.ts'], 1, 'error: entry missing.ts does not exist'],
  ['kubeconfig missing', ['describe', 'is/web', '--kubeconfig', '@/missing-kubeconfig'], 1, 'missing-kubeconfig)'],
  ['kubeconfig not yaml of one', ['get', 'builds', '--kubeconfig', '@/kubeconfig-bad'], 1, 'kubeconfig-bad: not a kubeconfig, its YAML does not parse: Nested mappings are not allowed in compact mappings at line 1, column 7'],
  // YAML given to convert: exit 1, naming the file (and line)
  ['convert missing file', ['convert', 'missing.yaml', '--out', 'converted.ts', '--force'], 1, 'error: missing.yaml does not exist'],
  ['convert under a file', ['convert', 'notes.txt/x.yaml', '--out', 'converted.ts', '--force'], 1, 'error: notes.txt/x.yaml does not exist'],
  ['convert folder without yaml', ['convert', 'empty-dir', '--out', 'converted.ts', '--force'], 1, 'error: empty-dir holds no .yaml, .yml or .json file'],
  ['convert broken yaml', ['convert', 'bad.yaml', '--out', 'converted.ts', '--force'], 1, 'bad.yaml:2:1: error: not YAML or JSON'],
  ['convert a number', ['convert', 'number.yaml', '--out', 'converted.ts', '--force'], 1, 'error: number.yaml: a document is not an object: expected Kubernetes objects (apiVersion, kind, metadata)'],
  ['convert object without kind', ['convert', 'no-kind.yaml', '--out', 'converted.ts', '--force'], 1, 'error: no-kind.yaml: an object has no kind: every object needs apiVersion and kind'],
  ['convert List with items a number', ['convert', 'list.yaml', '--out', 'converted.ts', '--force'], 1, "error: list.yaml: a List's 'items' (3) must be a list of objects"],
  ['convert a text file', ['convert', 'notes.txt', '--out', 'converted.ts', '--force'], 1, 'error: notes.txt: a document is not an object'],
];
