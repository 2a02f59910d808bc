/**
 * `fleetdeck logs` without -f, and `--request`: the stored lines (the log store the window and
 * serve fill), searched through the API as the window searches them, printed oldest first.
 */
import type { ApiClient } from '../common/api-client';
import { instanceColours } from '../common/log-format';
import type { LogHit } from '../common/log-store-model';
import { jsonText } from '../common/output-policy';
import type { Command } from './args';
import type { Io } from './io';
import { logOutput } from './logs';
import { EXIT } from './target';

type LogsCommand = Extract<Command, { cmd: 'logs' }>;

/** Search terms of the command's filters, quoted so a value is never read as query syntax. */
export function storedQuery(c: Pick<LogsCommand, 'grep' | 'level' | 'request'>, scope?: { instance?: string }): string {
  const quote = (v: string) => `"${v.replace(/["\\]/g, (m) => `\\${m}`)}"`;
  // The language ANDs its terms: the filters are simply more terms.
  return [
    c.grep ?? '',
    c.level ? `level:${c.level}` : '',
    c.request ? `requestId:${quote(c.request)}` : '',
    scope?.instance ? `instance:${quote(scope.instance)}` : '',
  ]
    .filter(Boolean)
    .join(' ');
}

export async function storedLogs(
  client: ApiClient,
  c: LogsCommand,
  io: Io,
  scope: { envId?: string; serviceId?: string; instance?: string; label: string },
): Promise<number> {
  const query = storedQuery(c, scope);
  // Newest first to take the last --tail lines, printed oldest first.
  const found = await client.call('logs.search', {
    query,
    ...(c.since !== undefined ? { from: c.since } : {}),
    ...(c.until !== undefined ? { to: c.until - 1 } : {}),
    ...(scope.envId ? { envIds: [scope.envId] } : {}),
    ...(scope.serviceId ? { serviceIds: [scope.serviceId] } : {}),
    order: c.request ? 'oldest' : 'newest',
    limit: Math.max(1, c.tail || 1),
  });
  const hits: LogHit[] = c.request ? found.hits : [...found.hits].reverse();
  if (!hits.length) {
    const stats = await client.call('logs.stats', {});
    io.err(
      stats.problem
        ? `fleetdeck: ${stats.problem}\n`
        : stats.lines === 0
          ? `fleetdeck: no lines are stored yet: they are kept while the window or "fleetdeck serve" runs. Follow ${scope.label} live with -f.\n`
          : `fleetdeck: no stored line of ${scope.label} matches${query ? ` ${query}` : ''}${c.since !== undefined || c.until !== undefined ? ' in that time range' : ''}.\n`,
    );
    return EXIT.ok;
  }
  const colourFor = instanceColours();
  const merged = !scope.instance;
  if (c.json) {
    for (const h of hits)
      io.out(`${jsonText({ t: h.t, service: h.service, instance: h.instance, stream: h.stream, ...(h.level ? { level: h.level } : {}), text: h.text }, 0)}\n`);
  } else {
    io.out(logOutput({ kind: 'lines', entries: hits }, colourFor, { raw: c.raw, colour: io.colour, merged }));
  }
  if (found.more && !c.request) io.err(`fleetdeck: the last ${hits.length} lines shown; earlier ones match too (--tail N shows more, --since narrows).\n`);
  else if (found.more) io.err(`fleetdeck: the first ${hits.length} lines shown; more match.\n`);
  return EXIT.ok;
}
