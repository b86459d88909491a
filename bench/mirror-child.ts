/**
 * One mirror run of the bench, in a process of its own (so that its RSS is the copy's alone): the
 * importer's copy (copyInto, the code a referencePolicy Local import runs) of each image into the
 * stream registry, as many at a time as the importer copies. Bundled by esbuild, run by node.
 * argv[2]: a JSON file { source, target, credentials, concurrency, images: [{ repository, digest, into }] }.
 */
import { readFileSync } from 'node:fs';
import { copyInto } from '../lib/runtime/importer/mirror-tags';
import { parseReference } from '../lib/api/image-reference';

interface Job {
  readonly source: string;
  readonly target: string;
  readonly credentials: { username: string; password: string };
  readonly concurrency: number;
  readonly images: { repository: string; digest: string; into: string }[];
}

async function main(): Promise<void> {
  const job = JSON.parse(readFileSync(process.argv[2], 'utf8')) as Job;
  const dockerConfig = { auths: { [job.target]: job.credentials } };
  const pending = [...job.images];
  let bytes = 0;
  const worker = async (): Promise<void> => {
    for (let image = pending.shift(); image; image = pending.shift()) {
      const report = await copyInto(parseReference(`${job.source}/${image.repository}`), { repository: `${job.target}/${image.into}`, insecure: true }, image.digest, true, { dockerConfig });
      bytes += report.bytes;
    }
  };
  await Promise.all(Array.from({ length: job.concurrency }, worker));
  process.stdout.write(`${JSON.stringify({ bytes })}\n`);
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
