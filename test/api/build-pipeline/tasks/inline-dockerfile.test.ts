import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PipelineSpec } from '../../../../constructs/tekton';
import { inlineDockerfileTask } from '../../../../lib/api/build-pipeline/tasks';
import { writeFiles } from '../../../support/tekton/build-fixtures';
import { runPipeline } from '../../../support/tekton/run-pipeline';

let dir: string;
beforeEach(() => { dir = mkdtempSync(path.join(os.tmpdir(), 'inline-dockerfile-test-')); });
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const pipeline: PipelineSpec = {
  params: [{ name: 'TEXT' }],
  workspaces: [{ name: 'source' }],
  tasks: [{ name: 'write', taskRef: { name: 'inline' }, params: [{ name: 'DOCKERFILE_TEXT', value: '$(params.TEXT)' }], workspaces: [{ name: 'source', workspace: 'source' }] }],
};

describe('inlineDockerfileTask', () => {
  it('writes the text verbatim, quotes and $(...) included, into an emptied workspace', async () => {
    // GIVEN a workspace with an older build's file, and a Dockerfile with shell-looking text
    const source = path.join(dir, 'source');
    await writeFiles(source, { 'old.txt': 'stale' });
    const text = 'FROM busybox:1.36\nRUN echo "it\'s $(date) `id`" > /x';
    // WHEN the Task runs
    const result = await runPipeline({ pipeline, tasks: { inline: inlineDockerfileTask() }, params: { TEXT: text }, workspaces: { source } });
    // THEN only the Dockerfile is there, byte for byte plus a final newline
    expect(result.succeeded).toBe(true);
    expect(readdirSync(source)).toEqual(['Dockerfile']);
    expect(readFileSync(path.join(source, 'Dockerfile'), 'utf8')).toBe(`${text}\n`);
  });

  it('keeps the text out of the script', () => {
    const [step] = inlineDockerfileTask().steps;
    expect(step.script).not.toContain('$(params');
    expect(step.env).toContainEqual({ name: 'PARAM_DOCKERFILE_TEXT', value: '$(params.DOCKERFILE_TEXT)' });
  });
});
