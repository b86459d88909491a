import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A payload fixture's text (see fixtures/README.md). */
export const fixture = (name: string): string => readFileSync(join(__dirname, 'fixtures', name), 'utf8');

/** A fixture as JSON, changed by `edit` and written back as text. */
export function edited(name: string, edit: (payload: any) => void): string {
  const payload = JSON.parse(fixture(name));
  edit(payload);
  return JSON.stringify(payload);
}
