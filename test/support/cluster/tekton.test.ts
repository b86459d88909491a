import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { KubectlError, uniqueNamespace, useCluster } from './index';
import { TEKTON_WEBHOOK_NAME } from './tekton';

// Tekton's admission in the test cluster (./tekton.ts): its CRDs, and its own defaulting and
// validation (test/cluster/tekton-admission, linking github.com/tektoncd/pipeline and
// github.com/tektoncd/triggers) registered as the apiserver's admission webhooks.

const cluster = useCluster();

const REPO = resolve(__dirname, '..', '..', '..');
const DIST = join(REPO, 'dist');
const TEKTON_GROUPS = new Set(['tekton.dev', 'triggers.tekton.dev']);
const REFUSED_BY_TEKTON = `admission webhook "validation.${TEKTON_WEBHOOK_NAME}" denied the request: validation failed:`;

/** The refusal's message (kubectl's stderr), or 'accepted'. */
async function outcome(args: string[], object: unknown): Promise<string> {
  try {
    await cluster.kubectl(args, { input: JSON.stringify(object) });
    return 'accepted';
  } catch (e) {
    if (e instanceof KubectlError) return e.stderr.trim() || e.stdout.trim();
    throw e;
  }
}

const create = (ns: string, object: unknown, dryRun = false) =>
  outcome(['create', '-n', ns, ...(dryRun ? ['--dry-run=server'] : []), '-f', '-'], object);

async function getJson(ns: string, resource: string): Promise<any> {
  return JSON.parse((await cluster.kubectl(['get', '-n', ns, resource, '-o', 'json'])).stdout);
}

describe("Tekton's admission in the test cluster", () => {
  it('refuses a Pipeline whose task has both taskRef and taskSpec, with the message of Tekton\'s validation', async () => {
    const ns = await uniqueNamespace('tekton-refuse');
    const result = await create(ns, {
      apiVersion: 'tekton.dev/v1',
      kind: 'Pipeline',
      metadata: { name: 'both' },
      spec: {
        tasks: [{ name: 'build', taskRef: { name: 'buildah' }, taskSpec: { steps: [{ name: 's', image: 'busybox', script: 'true' }] } }],
      },
    });
    expect(result).toContain(REFUSED_BY_TEKTON);
    expect(result).toContain('expected exactly one, got multiple: spec.tasks[0].taskRef, spec.tasks[0].taskSpec');
    // Refused for real, not only reported: nothing was stored.
    await expect(cluster.kubectl(['get', '-n', ns, 'pipeline.tekton.dev/both'])).rejects.toThrow(/NotFound/);
  });

  it('refuses a PipelineRun that uses an undeclared $(params.nope)', async () => {
    const ns = await uniqueNamespace('tekton-refuse');
    const result = await create(ns, {
      apiVersion: 'tekton.dev/v1',
      kind: 'PipelineRun',
      metadata: { generateName: 'nope-' },
      spec: {
        pipelineSpec: {
          tasks: [
            {
              name: 'echo',
              params: [{ name: 'text', value: '$(params.nope)' }],
              taskSpec: { params: [{ name: 'text' }], steps: [{ name: 'echo', image: 'busybox', script: 'echo "$(params.text)"' }] },
            },
          ],
        },
      },
    });
    expect(result).toContain(REFUSED_BY_TEKTON);
    expect(result).toContain('non-existent variable in "$(params.nope)"');
  });

  it('accepts a Task whose step workspace has no mountPath: Tekton\'s defaulting ran before the CRD schema, which requires it', async () => {
    const crd = await getJson('default', 'customresourcedefinition/tasks.tekton.dev');
    const v1 = crd.spec.versions.find((v: any) => v.name === 'v1');
    const stepWorkspace = v1.schema.openAPIV3Schema.properties.spec.properties.steps.items.properties.workspaces.items;
    expect(stepWorkspace.required).toContain('mountPath');
    // We installed it without the conversion webhook (./tekton.ts says why).
    expect(crd.spec.conversion.strategy).toBe('None');

    const ns = await uniqueNamespace('tekton-defaults');
    const result = await create(ns, {
      apiVersion: 'tekton.dev/v1',
      kind: 'Task',
      metadata: { name: 'uses-workspace' },
      spec: {
        workspaces: [{ name: 'source' }],
        steps: [{ name: 'list', image: 'busybox', script: 'ls', workspaces: [{ name: 'source' }] }],
      },
    });
    expect(result).toBe('accepted');
    const task = await getJson(ns, 'task.tekton.dev/uses-workspace');
    expect(task.spec.steps[0].workspaces[0]).toEqual({ name: 'source', mountPath: '' });
  });

  it("stores a PipelineRun with Tekton's defaults (timeouts, service account)", async () => {
    const ns = await uniqueNamespace('tekton-defaults');
    expect(
      await create(ns, {
        apiVersion: 'tekton.dev/v1',
        kind: 'PipelineRun',
        metadata: { name: 'defaults' },
        spec: { pipelineRef: { name: 'absent' }, status: 'PipelineRunPending' },
      }),
    ).toBe('accepted');
    const run = await getJson(ns, 'pipelinerun.tekton.dev/defaults');
    expect(run.spec.timeouts).toEqual({ pipeline: '1h0m0s' });
    expect(run.spec.taskRunTemplate).toEqual({ serviceAccountName: 'default' });
  });

  it('refuses an update that changes the spec of a started PipelineRun (validation in an UPDATE context)', async () => {
    const ns = await uniqueNamespace('tekton-update');
    const run = {
      apiVersion: 'tekton.dev/v1',
      kind: 'PipelineRun',
      metadata: { name: 'started' },
      spec: { pipelineRef: { name: 'p' }, params: [{ name: 'a', value: '1' }] },
    };
    expect(await create(ns, run)).toBe('accepted');
    const patched = await outcome(
      ['patch', '-n', ns, 'pipelinerun.tekton.dev/started', '--type=merge', '-p', JSON.stringify({ spec: { params: [{ name: 'a', value: '2' }] } })],
      null,
    );
    expect(patched).toContain(REFUSED_BY_TEKTON);
    expect(patched).toContain('Once the PipelineRun has started, only status updates are allowed');
    // Cancelling (spec.status) is allowed.
    await cluster.kubectl(['patch', '-n', ns, 'pipelinerun.tekton.dev/started', '--type=merge', '-p', '{"spec":{"status":"Cancelled"}}']);

    // A status write, as Tekton's controller (or a test playing it) makes: the status subresource
    // goes through the webhooks too, and is accepted.
    const status = {
      status: {
        startTime: '2026-01-01T00:00:00Z',
        completionTime: '2026-01-01T00:01:00Z',
        conditions: [{ type: 'Succeeded', status: 'False', reason: 'Cancelled', message: 'cancelled', lastTransitionTime: '2026-01-01T00:01:00Z' }],
      },
    };
    await cluster.kubectl(['patch', '-n', ns, 'pipelinerun.tekton.dev/started', '--subresource=status', '--type=merge', '-p', JSON.stringify(status)]);
    const done = await outcome(
      ['patch', '-n', ns, 'pipelinerun.tekton.dev/started', '--type=merge', '-p', JSON.stringify({ spec: { params: [{ name: 'a', value: '3' }] } })],
      null,
    );
    expect(done).toContain(REFUSED_BY_TEKTON);
    expect(done).toContain('Once the PipelineRun is complete, no updates are allowed');
  });

  it('refuses new params on a PipelineRun that is still pending (Tekton allows only spec.status to change)', async () => {
    const ns = await uniqueNamespace('tekton-update');
    expect(
      await create(ns, {
        apiVersion: 'tekton.dev/v1',
        kind: 'PipelineRun',
        metadata: { name: 'pending' },
        spec: { pipelineRef: { name: 'p' }, params: [{ name: 'REVISION', value: 'main' }], status: 'PipelineRunPending' },
      }),
    ).toBe('accepted');
    const params = [{ name: 'REVISION', value: 'main' }, { name: 'BASE_IMAGE', value: `registry.example/base@sha256:${'0'.repeat(64)}` }];
    const result = await outcome(['patch', '-n', ns, 'pipelinerun.tekton.dev/pending', '--type=merge', '-p', JSON.stringify({ spec: { params } })], null);
    expect(result).toContain(REFUSED_BY_TEKTON);
    expect(result).toContain('Once the PipelineRun has started, only status updates are allowed');
    // Admitting it (removing spec.status) is what may change.
    await cluster.kubectl(['patch', '-n', ns, 'pipelinerun.tekton.dev/pending', '--type=merge', '-p', '{"spec":{"status":null}}']);
  });
});

interface DistObject {
  readonly file: string;
  readonly object: any;
}

function distTektonObjects(): DistObject[] {
  const out: DistObject[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.ya?ml$/.test(entry.name)) {
        for (const doc of parseAllDocuments(readFileSync(path, 'utf8'))) {
          const object = doc.toJS();
          const group = String(object?.apiVersion ?? '').split('/')[0];
          if (TEKTON_GROUPS.has(group)) out.push({ file: relative(REPO, path), object });
        }
      }
    }
  };
  walk(DIST);
  return out;
}

const CLUSTER_SCOPED = new Set(['ClusterTriggerBinding', 'ClusterInterceptor']);

/** The object moved into the test's namespace (dist's namespaces don't exist in the test cluster). */
function inNamespace(object: any, ns: string): any {
  const copy = structuredClone(object);
  if (!CLUSTER_SCOPED.has(copy.kind)) copy.metadata = { ...copy.metadata, namespace: ns };
  return copy;
}

/**
 * What the EventListener creates from a TriggerTemplate, as Triggers resolves it: every
 * $(tt.params.NAME) replaced (here by the param's non-empty default, else `tt-<name>`, the same
 * rule as `tekton-admission validate`), $(uid) by a UUID.
 */
function resolvedResourceTemplates(template: any): any[] {
  let text = JSON.stringify(template.spec.resourcetemplates ?? []);
  for (const p of template.spec.params ?? []) {
    const value = p.default ? String(p.default) : `tt-${String(p.name).toLowerCase().replace(/[^a-z0-9-]+/g, '-')}`;
    text = text.split(`$(tt.params.${p.name})`).join(value.split('$(').join('$$('));
  }
  return JSON.parse(text.split('$(uid)').join(randomUUID()));
}

describe("dist/'s Tekton objects pass Tekton's admission", () => {
  const objects = distTektonObjects();

  it('dist/ has Tekton objects to check', () => {
    const kinds = new Set(objects.map((o) => o.object.kind));
    expect([...kinds]).toEqual(expect.arrayContaining(['Pipeline', 'Task', 'TriggerTemplate', 'EventListener', 'TriggerBinding', 'Trigger']));
  });

  it('every one is accepted by the apiserver (server-side dry run: CRD schema and both webhooks), and so are the PipelineRuns its TriggerTemplates make', async () => {
    const ns = await uniqueNamespace('tekton-dist');
    const results: string[] = [];
    for (const { file, object } of objects) {
      const label = `${file}: ${object.kind}/${object.metadata?.name}`;
      results.push(`${label}: ${await outcome(['apply', '--dry-run=server', '-n', ns, '-f', '-'], inNamespace(object, ns))}`);
      if (object.kind === 'TriggerTemplate') {
        for (const [i, resource] of resolvedResourceTemplates(object).entries()) {
          const what = `${label} resourcetemplates[${i}] ${resource.kind}`;
          results.push(`${what}: ${await create(ns, inNamespace(resource, ns), true)}`);
        }
      }
    }
    // Every line must end in `accepted`; a refusal shows Tekton's message here.
    expect(results.filter((r) => !r.endsWith(': accepted'))).toEqual([]);
    expect(results.length).toBeGreaterThan(objects.length);
  });

  it('a broken copy of each dist Pipeline is refused (negative control): a task param from an undeclared $(params.nope)', async () => {
    const pipelines = objects.filter((o) => o.object.kind === 'Pipeline');
    expect(pipelines.length).toBeGreaterThan(0);
    const ns = await uniqueNamespace('tekton-dist-broken');
    for (const { object } of pipelines) {
      const broken = inNamespace(object, ns);
      const task = broken.spec.tasks[0];
      task.params = [...(task.params ?? []), { name: 'BROKEN', value: '$(params.nope)' }];
      const result = await outcome(['apply', '--dry-run=server', '-n', ns, '-f', '-'], broken);
      expect(result).toContain(REFUSED_BY_TEKTON);
      expect(result).toContain('non-existent variable in "$(params.nope)"');
    }
  });

  it('a dist Task broken so that only Tekton (not the CRD schema) can tell is refused: a step using an undeclared $(params.x)', async () => {
    const task = objects.find((o) => o.object.kind === 'Task');
    expect(task).toBeDefined();
    const ns = await uniqueNamespace('tekton-dist-broken');
    const broken = inNamespace(task!.object, ns);
    broken.spec.steps[0].env = [...(broken.spec.steps[0].env ?? []), { name: 'BROKEN', value: '$(params.undeclared)' }];
    const result = await outcome(['apply', '--dry-run=server', '-n', ns, '-f', '-'], broken);
    expect(result).toContain(REFUSED_BY_TEKTON);
    expect(result).toContain('non-existent variable in "$(params.undeclared)"');
  });
});

describe('tekton-admission validate (the same checks without a cluster)', () => {
  const validate = (args: string[]) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((done) => {
      execFile(join(cluster.binDir, 'tekton-admission'), ['validate', ...args], (error, stdout, stderr) => {
        done({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
      });
    });

  it("passes dist/, TriggerTemplates' PipelineRuns included, and exits 1 with Tekton's message on a broken object", async () => {
    const ok = await validate([DIST]);
    expect(ok.stdout).not.toMatch(/^ERROR/m);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^OK Pipeline\/\S+$/m);
    expect(ok.stdout).toMatch(/^OK PipelineRun\/\S+ \(TriggerTemplate \S+ resourcetemplates\[0\]\)$/m);
    expect(ok.stdout.trim().split('\n')).toHaveLength(
      distTektonObjects().length +
        distTektonObjects()
          .filter((o) => o.object.kind === 'TriggerTemplate')
          .reduce((n, o) => n + (o.object.spec.resourcetemplates?.length ?? 0), 0),
    );

    const pipeline = distTektonObjects().find((o) => o.object.kind === 'Pipeline')!.object;
    const broken = structuredClone(pipeline);
    broken.spec.tasks[0].params = [...(broken.spec.tasks[0].params ?? []), { name: 'BROKEN', value: '$(params.nope)' }];
    const dir = mkdtempSync(join(tmpdir(), 'tekton-validate-'));
    try {
      writeFileSync(join(dir, 'broken.yaml'), `${JSON.stringify(broken)}\n---\n${JSON.stringify(pipeline)}\n`);
      const refused = await validate([dir]);
      expect(refused.code).toBe(1);
      const name = `Pipeline/${pipeline.metadata.namespace}/${pipeline.metadata.name}`;
      expect(refused.stdout).toContain(`ERROR ${name}: validation failed: non-existent variable in "$(params.nope)"`);
      expect(refused.stdout).toContain(`OK ${name}\n`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
