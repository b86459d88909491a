import { describe, expect, it } from 'vitest';
import { substitute, substituteArray, TektonValidationError, type VariableScope } from './substitute';

const scope: VariableScope = {
  strings: new Map([
    ['params.URL', 'https://example.com/repo.git'],
    ['params.my-param', 'dashed'],
    ['workspaces.source.path', '/ws/source'],
  ]),
  arrays: new Map([['params.ARGS', ['a b', 'c']]]),
};

describe('substitute', () => {
  it('replaces params, bracket forms and workspace paths', () => {
    // GIVEN a text with three reference styles WHEN substituted THEN each gets its value
    const text = "$(params.URL) $(params['my-param']) $(params[\"my-param\"]) $(workspaces.source.path)";
    expect(substitute(text, scope, 'test')).toBe('https://example.com/repo.git dashed dashed /ws/source');
  });

  it('leaves shell command substitutions alone', () => {
    // GIVEN shell code WHEN substituted THEN nothing changes, as in Tekton
    const script = 'commit="$(git rev-parse HEAD)"; x=$(params_like)';
    expect(substitute(script, scope, 'test')).toBe(script);
  });

  it('throws on an unknown variable, naming where it was', () => {
    // GIVEN a typo WHEN substituted THEN it fails loudly
    expect(() => substitute('echo $(params.URLL)', scope, 'step "clone" script')).toThrowError(
      'unknown variable $(params.URLL) in step "clone" script',
    );
    expect(() => substitute('$(context.taskRun.nam)', scope, 'x')).toThrowError(TektonValidationError);
  });

  it('refuses an array param inside a string field', () => {
    // GIVEN an array param in a script WHEN substituted THEN it is rejected as Tekton's validation does
    expect(() => substitute('buildah $(params.ARGS[*])', scope, 'step "build" script')).toThrowError(
      '$(params.ARGS[*]) is an array: it may only be an isolated item of an array field (args, command, array param value), found in step "build" script',
    );
  });
});

describe('substituteArray', () => {
  it('expands an isolated [*] item and substitutes the other items', () => {
    // GIVEN args with an array param WHEN substituted THEN its items become separate args
    expect(substituteArray(['--x', '$(params.ARGS[*])', 'url=$(params.URL)'], scope, 'args')).toEqual([
      '--x', 'a b', 'c', 'url=https://example.com/repo.git',
    ]);
  });

  it('expands an empty array to nothing', () => {
    const empty: VariableScope = { strings: new Map(), arrays: new Map([['params.L', []]]) };
    expect(substituteArray(['--labels', '$(params.L[*])'], empty, 'args')).toEqual(['--labels']);
  });
});

describe('substitution passes, as Tekton runs them', () => {
  const task: VariableScope = {
    strings: new Map([
      ['params.VALUE', 'name=$(context.taskRun.name) at $(workspaces.source.path), not $(params.OTHER) nor $(results.R.path) $(date)'],
      ['params.OTHER', 'other'],
      ['context.taskRun.name', 'run-1-build'],
      ['workspaces.source.path', '/workspace/source'],
    ]),
    arrays: new Map([['params.ITEMS', ['$(context.taskRun.name)', '$(params.OTHER)']]]),
  };

  it('substitutes context and workspace variables that a param value brought in, but not params again', () => {
    // GIVEN a step env value that is a param WHEN substituted THEN the later passes read the value,
    // the params pass does not read it again, and unknown names stay (no error: it is a value)
    expect(substitute('$(params.VALUE)', task, 'env')).toBe('name=run-1-build at /workspace/source, not $(params.OTHER) nor $(results.R.path) $(date)');
  });

  it('does the same to the items of an array param', () => {
    expect(substituteArray(['--x', '$(params.ITEMS[*])'], task, 'args')).toEqual(['--x', 'run-1-build', '$(params.OTHER)']);
  });

  it('still refuses an unknown variable written in the emitted text itself', () => {
    expect(() => substitute('$(params.VALUE) $(results.R.path)', task, 'script')).toThrowError('unknown variable $(results.R.path) in script');
  });
});
