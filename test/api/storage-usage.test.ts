import { describe, expect, it } from 'vitest';
import { parseDfLine } from '../../lib/api/registry-maintenance';
import { formatBytes, quantityBytes, usedPercent } from '../../lib/api/storage-usage';

describe('how full the registry storage is', () => {
  it("reads busybox's and GNU's df -Pk lines, and nothing else", () => {
    expect(parseDfLine('/dev/sdb 20971520 19922944 1048576 95% /var/lib/registry')).toEqual({ usedBytes: 19922944 * 1024, availableBytes: 1048576 * 1024 });
    expect(parseDfLine('Filesystem 1024-blocks Used Available Capacity Mounted on')).toBeUndefined();
    expect(parseDfLine('df: /var/lib/registry: No such file or directory')).toBeUndefined();
  });

  it('rounds the percentage down and prints binary units', () => {
    expect(usedPercent({ usedBytes: 999, availableBytes: 1 })).toBe(99);
    expect(usedPercent({ usedBytes: 0, availableBytes: 0 })).toBe(0);
    expect([formatBytes(512), formatBytes(1536), formatBytes(20 * 2 ** 30)]).toEqual(['512 B', '1.5 KiB', '20.0 GiB']);
  });

  it('reads Kubernetes quantities of bytes', () => {
    expect([quantityBytes('20Gi'), quantityBytes('500M'), quantityBytes('1073741824'), quantityBytes('1.5Ki')]).toEqual([20 * 2 ** 30, 5e8, 2 ** 30, 1536]);
    expect(quantityBytes('20 gigs')).toBeUndefined();
  });
});
