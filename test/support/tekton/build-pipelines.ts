import type { PipelineSpec, TaskSpec } from '../../../constructs/tekton';
import { buildahBuildTask, gitFetchTask, s2iGenerateTask } from '../../../lib/api/build-pipeline/tasks';

/** The Tasks by the names the test Pipelines refer to. */
export function buildTasks(): Record<string, TaskSpec> {
  return { 'git-fetch': gitFetchTask(), 'buildah-build': buildahBuildTask(), 's2i-generate': s2iGenerateTask() };
}

const PIPELINE_PARAMS = [
  { name: 'URL' },
  { name: 'REVISION', default: '' },
  { name: 'IMAGE' },
  { name: 'CONTEXT_DIR', default: '.' },
  { name: 'DOCKERFILE', default: './Dockerfile' },
  { name: 'BASE_IMAGE', default: '' },
  { name: 'BUILD_ARGS', type: 'array' as const, default: [] },
  { name: 'ENV', type: 'array' as const, default: [] },
  { name: 'INSECURE_REGISTRIES', type: 'array' as const, default: [] },
  { name: 'STAGE_IMAGES', type: 'array' as const, default: [] },
  { name: 'NO_CACHE', default: 'false' },
  { name: 'CACHE_REPOSITORY', default: '' },
  { name: 'CACHE_PUSH_FROM_BUILD', default: 'false' },
];

const WORKSPACES = [
  { name: 'source' }, { name: 'git-credentials', optional: true }, { name: 'dockerconfig', optional: true }, { name: 'pull-dockerconfig', optional: true },
  { name: 'registry-cas', optional: true },
];

const FETCH = {
  name: 'fetch',
  taskRef: { name: 'git-fetch' },
  params: [{ name: 'URL', value: '$(params.URL)' }, { name: 'REVISION', value: '$(params.REVISION)' }],
  workspaces: [{ name: 'source', workspace: 'source' }, { name: 'git-credentials', workspace: 'git-credentials' }],
};

const RESULTS = [
  { name: 'IMAGE_DIGEST', value: '$(tasks.build.results.IMAGE_DIGEST)' },
  { name: 'IMAGE_URL', value: '$(tasks.build.results.IMAGE_URL)' },
  { name: 'COMMIT', value: '$(tasks.fetch.results.COMMIT)' },
];

const BUILD_WORKSPACES = [
  { name: 'source', workspace: 'source' }, { name: 'dockerconfig', workspace: 'dockerconfig' }, { name: 'pull-dockerconfig', workspace: 'pull-dockerconfig' },
  { name: 'registry-cas', workspace: 'registry-cas' },
];

/** git-fetch → buildah-build, the shape of a Docker-strategy BuildConfig's Pipeline. */
export function dockerfilePipeline(): PipelineSpec {
  return {
    params: PIPELINE_PARAMS,
    workspaces: WORKSPACES,
    results: RESULTS,
    tasks: [
      FETCH,
      {
        name: 'build',
        taskRef: { name: 'buildah-build' },
        runAfter: ['fetch'],
        params: [
          { name: 'IMAGE', value: '$(params.IMAGE)' },
          { name: 'CONTEXT', value: '$(params.CONTEXT_DIR)' },
          { name: 'DOCKERFILE', value: '$(params.DOCKERFILE)' },
          { name: 'BASE_IMAGE', value: '$(params.BASE_IMAGE)' },
          { name: 'STAGE_IMAGES', value: ['$(params.STAGE_IMAGES[*])'] },
          { name: 'BUILD_ARGS', value: ['$(params.BUILD_ARGS[*])'] },
          { name: 'ENV', value: ['$(params.ENV[*])'] },
          { name: 'INSECURE_REGISTRIES', value: ['$(params.INSECURE_REGISTRIES[*])'] },
          { name: 'LABELS', value: ['io.imagestreams.commit=$(tasks.fetch.results.COMMIT)'] },
          { name: 'NO_CACHE', value: '$(params.NO_CACHE)' },
          { name: 'CACHE_REPOSITORY', value: '$(params.CACHE_REPOSITORY)' },
          { name: 'CACHE_PUSH_FROM_BUILD', value: '$(params.CACHE_PUSH_FROM_BUILD)' },
          { name: 'SOURCE_DATE_EPOCH', value: '$(tasks.fetch.results.SOURCE_DATE_EPOCH)' },
        ],
        workspaces: BUILD_WORKSPACES,
      },
    ],
  };
}

/** git-fetch → s2i-generate → buildah-build; the build waits on generate through its results. */
export function s2iPipeline(): PipelineSpec {
  return {
    params: [...PIPELINE_PARAMS, { name: 'BUILDER_IMAGES', type: 'array', default: [] }, { name: 'INCREMENTAL', default: 'false' }],
    workspaces: WORKSPACES,
    results: RESULTS,
    tasks: [
      FETCH,
      {
        name: 'generate',
        taskRef: { name: 's2i-generate' },
        runAfter: ['fetch'],
        params: [
          { name: 'CONTEXT', value: '$(params.CONTEXT_DIR)' },
          { name: 'BUILDER_IMAGES', value: ['$(params.BUILDER_IMAGES[*])'] },
          { name: 'INCREMENTAL', value: '$(params.INCREMENTAL)' },
        ],
        workspaces: [{ name: 'source', workspace: 'source' }],
      },
      {
        name: 'build',
        taskRef: { name: 'buildah-build' },
        params: [
          { name: 'IMAGE', value: '$(params.IMAGE)' },
          { name: 'CONTEXT', value: '$(tasks.generate.results.CONTEXT)' },
          { name: 'DOCKERFILE', value: '$(tasks.generate.results.DOCKERFILE)' },
          { name: 'INSECURE_REGISTRIES', value: ['$(params.INSECURE_REGISTRIES[*])'] },
          { name: 'S2I', value: 'true' },
        ],
        workspaces: BUILD_WORKSPACES,
      },
    ],
  };
}
