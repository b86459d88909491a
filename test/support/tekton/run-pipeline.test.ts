import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PipelineSpec, Step, TaskSpec } from '../../../constructs/tekton';
import { runPipeline } from './run-pipeline';

let dir: string;
beforeEach(() => { dir = mkdtempSync(path.join(os.tmpdir(), 'runner-test-')); });
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const oneStepTask = (step: Partial<Step>, extra: Partial<TaskSpec> = {}): TaskSpec => ({
  steps: [{ name: 'main', image: 'busybox', script: '', ...step }],
  ...extra,
});

const onePipeline = (params: PipelineSpec['tasks'][number]['params'] = []): PipelineSpec => ({
  tasks: [{ name: 'only', taskRef: { name: 't' }, params }],
});

describe('runPipeline', () => {
  it('passes results between tasks raw, orders by result references and fills pipeline results', async () => {
    // GIVEN a consumer listed before its producer, and a producer that writes a trailing newline
    const producer: TaskSpec = {
      results: [{ name: 'WORD' }],
      steps: [{ name: 'write', image: 'x', script: 'echo "hello" > $(results.WORD.path)' }],
    };
    const consumer: TaskSpec = {
      params: [{ name: 'IN' }],
      results: [{ name: 'OUT' }],
      steps: [{ name: 'echo', image: 'x', env: [{ name: 'IN', value: '$(params.IN)' }], script: 'printf "[%s]" "$IN" > $(results.OUT.path)' }],
    };
    const pipeline: PipelineSpec = {
      results: [{ name: 'FINAL', value: '$(tasks.second.results.OUT)' }],
      tasks: [
        { name: 'second', taskRef: { name: 'consumer' }, params: [{ name: 'IN', value: '$(tasks.first.results.WORD)' }] },
        { name: 'first', taskRef: { name: 'producer' } },
      ],
    };
    // WHEN run
    const run = await runPipeline({ pipeline, tasks: { producer, consumer } });
    // THEN the newline stays (Tekton does not trim) and travels on
    expect(run.succeeded).toBe(true);
    expect(run.taskResults.first).toEqual({ WORD: 'hello\n' });
    expect(run.results).toEqual({ FINAL: '[hello\n]' });
  });

  it('rejects an unknown $(params.typo) before running any step', async () => {
    // GIVEN a first task that would leave a marker and a second task with a typo
    const marker = path.join(dir, 'ran');
    const good = oneStepTask({ script: `touch ${marker}` });
    const bad = oneStepTask({ script: 'echo $(params.typo)' }, { params: [{ name: 'type', default: 'x' }] });
    const pipeline: PipelineSpec = { tasks: [{ name: 'a', taskRef: { name: 'good' } }, { name: 'b', taskRef: { name: 'bad' }, runAfter: ['a'] }] };
    // WHEN run THEN it throws and nothing ran
    await expect(runPipeline({ pipeline, tasks: { good, bad } })).rejects.toThrowError(
      'unknown variable $(params.typo) in pipeline task "b" step "main" script',
    );
    expect(existsSync(marker)).toBe(false);
  });

  it('expands array params into args and defaults', async () => {
    // GIVEN an array param passed through the pipeline into a step's args
    const task: TaskSpec = {
      params: [{ name: 'ITEMS', type: 'array' }, { name: 'SEP', default: ',' }],
      results: [{ name: 'JOINED' }],
      steps: [{
        name: 'join', image: 'x', args: ['$(params.ITEMS[*])'], env: [{ name: 'SEP', value: '$(params.SEP)' }],
        script: 'out=""; for a do out="$out$a$SEP"; done; printf "%s" "$out" > $(results.JOINED.path)',
      }],
    };
    const pipeline: PipelineSpec = {
      params: [{ name: 'LIST', type: 'array' }],
      tasks: [{ name: 'only', taskRef: { name: 't' }, params: [{ name: 'ITEMS', value: ['first', '$(params.LIST[*])'] }] }],
    };
    // WHEN run THEN each item is one argument, spaces kept
    const run = await runPipeline({ pipeline, tasks: { t: task }, params: { LIST: ['a b', 'c'] } });
    expect(run.taskResults.only).toEqual({ JOINED: 'first,a b,c,' });
  });

  it('stops at a failing step and reports it', async () => {
    // GIVEN a script without shebang: Tekton adds set -e, so `false` ends it
    const task: TaskSpec = {
      steps: [
        { name: 'fails', image: 'x', script: 'echo before\nfalse\necho after\n' },
        { name: 'never', image: 'x', script: `touch ${path.join(dir, 'never')}` },
      ],
    };
    // WHEN run
    const run = await runPipeline({ pipeline: onePipeline(), tasks: { t: task } });
    // THEN the step, its log and the message say what happened
    expect(run).toMatchObject({ succeeded: false, failedTask: 'only', failedStep: 'fails' });
    expect(run.message).toBe('pipeline task "only" step "fails" exited with code 1');
    expect(run.logs['only/fails']).toBe('before\n');
    expect(existsSync(path.join(dir, 'never'))).toBe(false);
  });

  it('honours a shebang line: the script then runs without an implicit set -e', async () => {
    const task = oneStepTask({ script: '#!/bin/sh\nfalse\necho after\n' });
    const run = await runPipeline({ pipeline: onePipeline(), tasks: { t: task } });
    expect(run.succeeded).toBe(true);
    expect(run.logs['only/main']).toBe('after\n');
  });

  it('enforces the step capabilities: without CHOWN root cannot chown', async () => {
    // GIVEN a file and two tasks that chown it, one with CHOWN, one with none
    const file = path.join(dir, 'f');
    writeFileSync(file, 'x');
    const chown = (add: string[]) => oneStepTask({ script: `chown 1234 ${file}`, securityContext: { capabilities: { drop: ['ALL'], add } } });
    // WHEN run
    const denied = await runPipeline({ pipeline: onePipeline(), tasks: { t: chown([]) } });
    const allowed = await runPipeline({ pipeline: onePipeline(), tasks: { t: chown(['CHOWN']) } });
    // THEN only the step with CHOWN succeeds
    expect(denied.succeeded).toBe(false);
    expect(denied.logs['only/main']).toContain('Operation not permitted');
    expect(allowed.succeeded).toBe(true);
  });

  it('gives each run a private emptyDir at the mount path, shared by the steps of the task', async () => {
    // GIVEN two steps that share a volume at /var/lib/containers
    const mount = { name: 'storage', mountPath: '/var/lib/containers' };
    const marker = `runner-test-${path.basename(dir)}`;
    const task: TaskSpec = {
      volumes: [{ name: 'storage', emptyDir: {} }],
      results: [{ name: 'SEEN' }],
      steps: [
        { name: 'write', image: 'x', volumeMounts: [mount], script: `echo hi > /var/lib/containers/${marker}` },
        { name: 'read', image: 'x', volumeMounts: [mount], script: `cat /var/lib/containers/${marker} > $(results.SEEN.path)` },
      ],
    };
    // WHEN run THEN the second step sees the first's file, and this machine's directory does not
    const run = await runPipeline({ pipeline: onePipeline(), tasks: { t: task } });
    expect(run.taskResults.only).toEqual({ SEEN: 'hi\n' });
    expect(existsSync(`/var/lib/containers/${marker}`)).toBe(false);
  });

  it('maps workspaces to host dirs and reports unbound optional ones as not bound', async () => {
    // GIVEN a task with a bound and an unbound optional workspace
    const task: TaskSpec = {
      workspaces: [{ name: 'source' }, { name: 'creds', optional: true }],
      steps: [{ name: 'main', image: 'x', script: 'echo "$(workspaces.creds.bound):$(workspaces.creds.path):" > $(workspaces.source.path)/out' }],
    };
    const pipeline: PipelineSpec = {
      workspaces: [{ name: 'ws' }, { name: 'c', optional: true }],
      tasks: [{ name: 'only', taskRef: { name: 't' }, workspaces: [{ name: 'source', workspace: 'ws', subPath: 'sub' }, { name: 'creds', workspace: 'c' }] }],
    };
    // WHEN run
    await runPipeline({ pipeline, tasks: { t: task }, workspaces: { ws: dir } });
    // THEN the subPath was used and creds are unbound with an empty path
    expect(readFileSync(path.join(dir, 'sub', 'out'), 'utf8')).toBe('false::\n');
  });

  it('hides an isolated workspace from the steps that do not list it', async () => {
    // GIVEN a workspace listed by the second step only, referenced by the first
    const task: TaskSpec = {
      workspaces: [{ name: 'secret' }],
      steps: [
        { name: 'first', image: 'x', script: 'ls $(workspaces.secret.path)' },
        { name: 'second', image: 'x', workspaces: [{ name: 'secret' }], script: 'ls $(workspaces.secret.path)' },
      ],
    };
    const pipeline: PipelineSpec = {
      workspaces: [{ name: 's' }],
      tasks: [{ name: 'only', taskRef: { name: 't' }, workspaces: [{ name: 'secret', workspace: 's' }] }],
    };
    // WHEN run THEN the first step's reference is unknown
    await expect(runPipeline({ pipeline, tasks: { t: task }, workspaces: { s: dir } })).rejects.toThrowError(
      'unknown variable $(workspaces.secret.path) in pipeline task "only" step "first" script',
    );
  });

  it('rejects params the Task does not declare, missing values and wrong types', async () => {
    const task = oneStepTask({ script: 'true' }, { params: [{ name: 'A' }] });
    await expect(runPipeline({ pipeline: onePipeline([{ name: 'A', value: 'x' }, { name: 'B', value: 'y' }]), tasks: { t: task } }))
      .rejects.toThrowError('pipeline task "only": it declares no param "B"');
    await expect(runPipeline({ pipeline: onePipeline(), tasks: { t: task } }))
      .rejects.toThrowError('pipeline task "only": param "A" has no value and no default');
    await expect(runPipeline({ pipeline: onePipeline([{ name: 'A', value: ['x'] }]), tasks: { t: task } }))
      .rejects.toThrowError('pipeline task "only": param "A" is of type string but got ["x"]');
  });

  it('ignores PipelineRun params the Pipeline does not declare, as Tekton does', async () => {
    // GIVEN a Pipeline without REVISION, run with it (the controller passes it to every build)
    const task = oneStepTask({ script: 'printf %s "$(params.A)" > $(results.OUT.path)' }, { params: [{ name: 'A' }], results: [{ name: 'OUT' }] });
    const pipeline: PipelineSpec = { params: [{ name: 'A' }], tasks: [{ name: 'only', taskRef: { name: 't' }, params: [{ name: 'A', value: '$(params.A)' }] }] };
    // WHEN run THEN the extra param is ignored and the declared one used
    const run = await runPipeline({ pipeline, tasks: { t: task }, params: { A: 'a', REVISION: 'main' } });
    expect(run.taskResults.only).toEqual({ OUT: 'a' });
    // AND an undeclared $(params.REVISION) reference stays an error
    const uses = { ...pipeline, tasks: [{ ...pipeline.tasks[0], params: [{ name: 'A', value: '$(params.REVISION)' }] }] };
    await expect(runPipeline({ pipeline: uses, tasks: { t: task }, params: { A: 'a', REVISION: 'main' } }))
      .rejects.toThrowError('unknown variable $(params.REVISION) in pipeline task "only" param A');
  });

  it('fails a task whose results exceed 4096 bytes, as the termination message would', async () => {
    const task = oneStepTask({ script: 'head -c 5000 /dev/zero | tr "\\0" a > $(results.BIG.path)' }, { results: [{ name: 'BIG' }] });
    const run = await runPipeline({ pipeline: onePipeline(), tasks: { t: task } });
    expect(run.succeeded).toBe(false);
    expect(run.message).toBe('pipeline task "only": results take 5000 bytes, more than 4096');
  });

  it('provides context.taskRun.name', async () => {
    const task = oneStepTask({ script: 'printf %s "$(context.taskRun.name)" > $(results.N.path)' }, { results: [{ name: 'N' }] });
    const run = await runPipeline({ pipeline: onePipeline(), tasks: { t: task }, name: 'build-7' });
    expect(run.taskResults.only).toEqual({ N: 'build-7-only' });
  });
});
