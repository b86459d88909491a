import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import * as path from 'node:path';

/**
 * A deterministic POSIX tar (ustar, with pax `path`/`linkpath` records for long names) of files,
 * directories and symbolic links: sorted, owned by root, time 0, modes 0755/0644 by the executable
 * bit, so that the same sources always give the same archive (and the same digest).
 */
export interface TarEntry {
  /** The path in the archive, '/'-separated, relative. */
  readonly name: string;
  readonly type: 'file' | 'dir' | 'symlink';
  readonly content?: Buffer;
  readonly target?: string;
  readonly executable?: boolean;
}

/** The entries of a directory's contents, recursively, sorted by path. */
export function directoryEntries(root: string): TarEntry[] {
  const entries: TarEntry[] = [];
  const walk = (dir: string, prefix: string) => {
    for (const name of readdirSync(dir).sort()) {
      const full = path.join(dir, name);
      const rel = prefix ? `${prefix}/${name}` : name;
      const stat = lstatSync(full);
      if (stat.isSymbolicLink()) entries.push({ name: rel, type: 'symlink', target: readlinkSync(full) });
      else if (stat.isDirectory()) {
        entries.push({ name: rel, type: 'dir' });
        walk(full, rel);
      } else if (stat.isFile()) entries.push({ name: rel, type: 'file', content: readFileSync(full), executable: (stat.mode & 0o111) !== 0 });
    }
  };
  walk(root, '');
  return entries;
}

export function tar(entries: readonly TarEntry[]): Buffer {
  const blocks: Buffer[] = [];
  for (const entry of entries) {
    const name = entry.type === 'dir' ? `${entry.name}/` : entry.name;
    const pax: Record<string, string> = {};
    if (Buffer.byteLength(name) > 100) pax.path = name;
    if (entry.target !== undefined && Buffer.byteLength(entry.target) > 100) pax.linkpath = entry.target;
    if (Object.keys(pax).length > 0) {
      const body = Buffer.from(Object.entries(pax).map(([k, v]) => paxRecord(k, v)).join(''));
      blocks.push(header({ name: 'PaxHeader', typeflag: 'x', size: body.length, mode: 0o644 }), padded(body));
    }
    const content = entry.type === 'file' ? entry.content ?? Buffer.alloc(0) : Buffer.alloc(0);
    blocks.push(header({
      name: name.slice(0, 100),
      typeflag: entry.type === 'file' ? '0' : entry.type === 'dir' ? '5' : '2',
      size: content.length,
      mode: entry.type === 'file' && !entry.executable ? 0o644 : 0o755,
      linkname: entry.target?.slice(0, 100),
    }));
    if (content.length > 0) blocks.push(padded(content));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

/** `LEN key=value\n`, LEN counting itself. */
function paxRecord(key: string, value: string): string {
  const rest = ` ${key}=${value}\n`;
  let length = Buffer.byteLength(rest) + 1;
  while (String(length).length + Buffer.byteLength(rest) !== length) length++;
  return `${length}${rest}`;
}

function padded(data: Buffer): Buffer {
  const pad = (512 - (data.length % 512)) % 512;
  return pad === 0 ? data : Buffer.concat([data, Buffer.alloc(pad)]);
}

function header(h: { name: string; typeflag: string; size: number; mode: number; linkname?: string }): Buffer {
  const block = Buffer.alloc(512);
  const put = (offset: number, length: number, value: string) => block.write(value, offset, length, 'utf8');
  const octal = (offset: number, length: number, value: number) => put(offset, length, `${value.toString(8).padStart(length - 1, '0')}\0`);
  put(0, 100, h.name);
  octal(100, 8, h.mode);
  octal(108, 8, 0);
  octal(116, 8, 0);
  octal(124, 12, h.size);
  octal(136, 12, 0);
  block.fill(' ', 148, 156);
  put(156, 1, h.typeflag);
  if (h.linkname) put(157, 100, h.linkname);
  put(257, 6, 'ustar\0');
  put(263, 2, '00');
  let sum = 0;
  for (const byte of block) sum += byte;
  put(148, 8, `${sum.toString(8).padStart(6, '0')}\0 `);
  return block;
}
