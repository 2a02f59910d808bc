/** `fleetdeck envs`: what the sidebar would show, once every environment has answered or failed. */
import type { Environment } from '../common/model';
import { plainText } from '../common/output-policy';

/** The `fleetdeck envs` table: versions and problems are what engines and clusters answered, so every cell passes the output policy. */
export function formatEnvironments(list: Environment[]): string {
  const rows = list.map((e) => [e.name, e.kind, e.state, e.version ?? '-', e.endpoint].map(plainText));
  const head = ['NAME', 'KIND', 'STATE', 'VERSION', 'ENDPOINT'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ');
  const problems = list.filter((e) => e.problem).map((e) => `\n${plainText(e.name)}: ${plainText(e.problem!)}`);
  return [line(head), ...rows.map(line)].join('\n') + (problems.length ? '\n' + problems.join('') : '');
}
