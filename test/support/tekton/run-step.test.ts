import { describe, expect, it } from 'vitest';
import { privilegeArgs, scriptFileText } from './run-step';

describe('scriptFileText', () => {
  it('keeps a script with a shebang as it is', () => {
    expect(scriptFileText('#!/bin/bash\necho hi\n')).toBe('#!/bin/bash\necho hi\n');
  });

  it('runs a script without a shebang with /bin/sh and set -e, as Tekton does', () => {
    expect(scriptFileText('echo hi\n')).toBe('#!/bin/sh\nset -e\necho hi\n');
  });
});

describe('privilegeArgs', () => {
  it('turns drop ALL + add into a capability bounding set, and no privilege escalation into no_new_privs', () => {
    // GIVEN buildah's kind of securityContext WHEN translated THEN setpriv keeps only the added caps
    const args = privilegeArgs({ allowPrivilegeEscalation: false, runAsUser: 0, capabilities: { drop: ['ALL'], add: ['CHOWN', 'SETFCAP'] } });
    expect(args).toEqual(['setpriv', '--bounding-set=-all,+chown,+setfcap', '--inh-caps=-all', '--no-new-privs', '--']);
  });

  it('switches to a non-root uid', () => {
    expect(privilegeArgs({ runAsUser: 1001 })).toEqual(['setpriv', '--reuid=1001', '--regid=0', '--clear-groups', '--']);
  });

  it('adds nothing without a securityContext', () => {
    expect(privilegeArgs(undefined)).toEqual([]);
  });
});
