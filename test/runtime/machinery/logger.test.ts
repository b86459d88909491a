import { describe, expect, it } from 'vitest';
import { errorText, jsonLogger } from '../../../lib/runtime/machinery/logger';

describe('jsonLogger', () => {
  it('writes one JSON object a line, from the minimum level up', () => {
    const lines: string[] = [];
    const log = jsonLogger((l) => lines.push(l), 'info');
    log.log('debug', 'hidden');
    log.log('warn', 'image updated', { workload: 'Deployment/ns/web' });
    expect(lines).toHaveLength(1);
    expect(lines[0].endsWith('\n')).toBe(true);
    expect(JSON.parse(lines[0])).toMatchObject({ level: 'warn', msg: 'image updated', workload: 'Deployment/ns/web' });
  });

  it('prints errors by message', () => {
    expect(errorText(new Error('boom'))).toBe('boom');
    expect(errorText('plain')).toBe('plain');
  });
});
