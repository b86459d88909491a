import { describe, expect, it } from 'vitest';
import { expandContainer, kubernetesExpand, SERVICE_ENV } from './kubernetes-expand';

const known = (vars: Record<string, string>) => (name: string) => vars[name];

describe('kubernetesExpand (the kubelet\'s $(VAR) expansion)', () => {
  it.each([
    ['$(A)-$(B)', 'a-$(B)'],
    ['$$(A)', '$(A)'],
    ['$$$(A)', '$a'],
    ['cost $$5 and $5', 'cost $5 and $5'],
    ['$(date) $(HOME)', '$(date) $(HOME)'],
    ['unclosed $(A', 'unclosed $(A'],
    ['end $', 'end $'],
    ['$()', '$()'],
    ['%24(A)', '%24(A)'],
  ])('%j → %j', (input, expected) => {
    expect(kubernetesExpand(input, known({ A: 'a' }))).toBe(expected);
  });

  it('expands an env value with the variables before it and the service links, then args with all', () => {
    // GIVEN env where the second value names the first, the first names the second, and args name both
    const { env, args } = expandContainer(
      [{ name: 'FIRST', value: '1 $(SECOND)' }, { name: 'SECOND', value: '2 $(FIRST) $(KUBERNETES_SERVICE_HOST)' }],
      ['$(FIRST)|$(SECOND)|$$(FIRST)'],
    );
    // THEN only earlier names resolve in env; args see every one
    expect(env).toEqual({ FIRST: '1 $(SECOND)', SECOND: `2 1 $(SECOND) ${SERVICE_ENV.KUBERNETES_SERVICE_HOST}` });
    expect(args).toEqual([`1 $(SECOND)|2 1 $(SECOND) ${SERVICE_ENV.KUBERNETES_SERVICE_HOST}|$(FIRST)`]);
  });
});
