import { createHash } from 'node:crypto';
import { RUNTIME_FILE, RUNTIME_PART_FILE } from '../../constructs/system/runtime-bundle';

/** `  imagestreams-runtime.js: |-` or a part's key (or the key quoted, or the value on the same line). */
const RUNTIME_KEY = new RegExp(`^( *)("?)(${RUNTIME_FILE.replace(/[.]/g, '\\.')}|${RUNTIME_PART_FILE.source.slice(1, -1)})\\2: *(.*)$`);
const BLOCK_HEADER = /^[|>]([1-9]?)([-+]?)([1-9]?)$/;

/**
 * YAML as a drift report shows it: the runtime script (a minified bundle of ~200 KiB in the System's
 * ConfigMaps) appears as one line with its size and sha256 (whose first 10 digits name its
 * ConfigMap), never as minified JavaScript. Everything else is left as it is.
 */
export function readableForDiff(yaml: string): string {
  const lines = yaml.split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const match = RUNTIME_KEY.exec(lines[i]);
    if (!match) {
      out.push(lines[i]);
      continue;
    }
    const [, indent, quote, key, rest] = match;
    const header = BLOCK_HEADER.exec(rest);
    let value: string;
    if (header) {
      let end = i + 1;
      while (end < lines.length && (lines[end].trim() === '' || lines[end].startsWith(`${indent} `))) end++;
      // Trailing blank lines belong to the block only when it keeps them (`|+`); a diff shows them anyway.
      value = blockValue(lines.slice(i + 1, end), header[2]);
      i = end - 1;
    } else {
      value = inlineValue(rest);
    }
    out.push(`${indent}${quote}${key}${quote}: ${summary(value)}`);
  }
  return out.join('\n');
}

function summary(value: string): string {
  const bytes = Buffer.byteLength(value);
  const sha256 = createHash('sha256').update(value).digest('hex');
  return `<the runtime script: ${bytes.toLocaleString('en-US')} bytes, sha256 ${sha256.slice(0, 16)}…, not shown>`;
}

/** A block scalar's text: indentation removed, the final line breaks chomped as its header says. */
function blockValue(body: readonly string[], chomp: string): string {
  const firstText = body.find((l) => l.trim() !== '') ?? '';
  const width = firstText.length - firstText.trimStart().length;
  const text = body.map((l) => l.slice(width)).join('\n').replace(/\n*$/, '');
  if (chomp === '-') return text;
  let trailing = 1;
  if (chomp === '+') for (let i = body.length - 1; i >= 0 && body[i].trim() === ''; i--) trailing++;
  return text + '\n'.repeat(trailing);
}

function inlineValue(text: string): string {
  if (text.startsWith('"')) {
    try {
      return JSON.parse(text) as string;
    } catch {
      return text;
    }
  }
  return text;
}
