import { describe, expect, it } from 'vitest';
import type { ImageStreamObject } from '../../lib/api/imagestream';
import { MAX_REPOSITORY_TAGS, prioritizeTags, repositoryImportDue, repositoryTagsToImport } from '../../lib/api/repository-import';

const stream = (spec: ImageStreamObject['spec'], generation = 1, repositoryImport?: object): ImageStreamObject =>
  ({ apiVersion: 'imagestreams.dev/v1alpha1', kind: 'ImageStream', metadata: { name: 's', generation }, spec, status: { repositoryImport } } as ImageStreamObject);

describe('prioritizeTags', () => {
  it('orders latest, then minor versions newest first, then full versions newest first, then the rest by name', () => {
    expect(prioritizeTags(['nightly', '1.2.3', 'v1.10', '2.0', 'latest', '1.9', '1.10.0', 'alpha', '2.0-rc1'])).toEqual(['latest', '2.0', '2.0-rc1', 'v1.10', '1.9', '1.10.0', '1.2.3', 'alpha', 'nightly']);
  });
});

describe('repositoryTagsToImport', () => {
  it('leaves the tags the spec defines to their own source, and takes at most the first 50', () => {
    const listed = ['latest', 'mine', ...Array.from({ length: 60 }, (_, i) => `t${String(i).padStart(2, '0')}`)];
    const chosen = repositoryTagsToImport(stream({ dockerImageRepository: 'r.example.com/a', tags: [{ name: 'mine' }] }), listed);
    expect(chosen).toHaveLength(MAX_REPOSITORY_TAGS);
    expect(chosen.slice(0, 3)).toEqual(['latest', 't00', 't01']);
    expect(chosen).not.toContain('mine');
  });
});

describe('repositoryImportDue', () => {
  const done = (generation: number, repository = 'r.example.com/a') => ({ repository, generation, status: 'True', reason: 'Imported', message: '', lastImportAttempt: '2026-01-01T00:00:00Z' });
  it('is due when set and not imported at this generation, or when the repository changed', () => {
    expect(repositoryImportDue(stream({}))).toBe(false);
    expect(repositoryImportDue(stream({ dockerImageRepository: 'r.example.com/a' }))).toBe(true);
    expect(repositoryImportDue(stream({ dockerImageRepository: 'r.example.com/a' }, 2, done(2)))).toBe(false);
    expect(repositoryImportDue(stream({ dockerImageRepository: 'r.example.com/a' }, 3, done(2)))).toBe(true);
    expect(repositoryImportDue(stream({ dockerImageRepository: 'r.example.com/b' }, 2, done(2)))).toBe(true);
  });
});
