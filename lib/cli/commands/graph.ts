import { affectedBy, type AffectedStep } from '../graph/affected';
import { toDot } from '../graph/dot';
import { findStart, UnknownStartError } from '../graph/find-node';
import { workflowGraph } from '../graph/from-manifests';
import { synthesizedObjects } from '../graph/manifests';
import { toMermaid } from '../graph/mermaid';
import type { NodeKind } from '../graph/model';
import { formatTable } from '../table';
import { parseCommandArgs, UsageError } from '../usage';
import type { Command } from './command';

const HELP = `Usage: imagestreams graph [ENTRY] [options]

Draws the app's workflow: external images, ImageStream tags, BuildConfigs and the workloads that
follow tags, with each edge labelled by what carries a change along it (scheduled import every 15m,
image change, webhook (GitHub), config change, alias, pushes, deploys). ENTRY is compiled and run
as by 'imagestreams synth' and the graph is read from the manifests it makes; no cluster is needed.
Edges that don't start anything by themselves (a base without an image-change trigger, a one-time
import, a paused trigger, a config change) are dashed.

Arguments:
  ENTRY                     the TypeScript file that builds the App (default: ./main.ts)

Options:
      --format FORMAT       mermaid (a 'flowchart LR' that GitHub renders in Markdown, the default)
                            or dot (Graphviz: imagestreams graph --format dot | dot -Tsvg > flow.svg)
      --affected WHAT       instead of the graph, list what a change of WHAT would rebuild and roll
                            out, in order: WHAT is a stream tag (stream:tag or namespace/stream:tag)
                            or an external image reference (docker.io/library/eclipse-temurin:8-jdk)
      --no-cache            always compile; don't read or write the compiled-entry cache
      --verbose             show full stack traces for errors
  -h, --help                show this help

Exit codes: 0 ok, 1 an error in the app or WHAT is not in it, 2 a usage error.
`;

export const graphCommand: Command = {
  name: 'graph',
  help: HELP,
  async run(argv, io) {
    const args = parseCommandArgs('graph', argv, {
      format: { type: 'string', default: 'mermaid' },
      affected: { type: 'string' },
      'no-cache': { type: 'boolean', default: false },
    }, 1);
    if (args.flag('help')) return io.stdout(HELP), 0;
    const format = parseFormat(args.string('format'));
    const affected = args.string('affected');
    if (affected === '') throw new UsageError('--affected needs a stream tag or an image', 'graph');
    const objects = await synthesizedObjects(args.positionals[0] ?? 'main.ts', { noCache: args.flag('no-cache'), cwd: io.cwd });
    const { graph, warnings } = workflowGraph(objects);
    for (const warning of warnings) io.stderr(`warning: ${warning}\n`);
    if (affected === undefined) return io.stdout(format === 'dot' ? toDot(graph) : toMermaid(graph)), 0;
    try {
      return io.stdout(affectedTable(affectedBy(graph, findStart(graph, affected)))), 0;
    } catch (e) {
      if (e instanceof UnknownStartError) return io.stderr(`error: ${e.message}\n`), 1;
      throw e;
    }
  },
};

function parseFormat(value: string | undefined): 'mermaid' | 'dot' {
  if (value === 'mermaid' || value === 'dot') return value;
  throw new UsageError(`--format must be 'mermaid' or 'dot', not '${value}'`, 'graph');
}

const WHAT_HAPPENS: Record<NodeKind, string> = {
  image: 'changes',
  source: 'changes',
  tag: 'moves',
  build: 'rebuilds',
  workload: 'rolls out',
};

function affectedTable(steps: readonly AffectedStep[]): string {
  const rows = steps.map((step, i) => [
    String(i + 1),
    step.node.label,
    i === 0 ? 'changed' : `${WHAT_HAPPENS[step.node.kind]} (${step.via.join(', ')})`,
  ]);
  return formatTable(['STEP', 'WHAT', 'HOW'], rows);
}
