import type { Report } from './model';

/** The summary `convert` prints on stderr: what was converted, every field reported, what was dropped, what next. */
export function formatSummary(report: Report, out: string): string {
  const total = [...report.converted.values()].reduce((a, b) => a + b, 0);
  const kinds = [...report.converted].map(([kind, n]) => `${n} ${kind}`).join(', ');
  const where = out === '-' ? 'stdout' : out;
  const lines = [`converted ${total} object${total === 1 ? '' : 's'} (${kinds}) into ${where}`];
  const findings = report.findings;
  if (findings.length === 0) {
    lines.push('every field has an equivalent: no TODO(convert)');
  } else {
    lines.push(`${findings.length} field${findings.length === 1 ? ' has' : 's have'} no equivalent (each is a TODO(convert) in ${where}):`);
    for (const f of findings) lines.push(`  ${f.file}: ${f.object}: ${f.field}: ${f.why}`);
  }
  const ignored = [...report.ignored.values()].reduce((a, b) => a + b, 0);
  if (ignored > 0) {
    const top = [...report.ignored].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([path]) => path).join(', ');
    lines.push(`dropped ${ignored} field${ignored === 1 ? '' : 's'} that the API server sets or defaults (${top}${report.ignored.size > 5 ? ', …' : ''})`);
  }
  if (out !== '-') lines.push(`next: imagestreams check ${out} && imagestreams synth ${out}`);
  return `${lines.join('\n')}\n`;
}
