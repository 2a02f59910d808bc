import { memo, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { GlanceRow } from '../../../../main/common/metrics-model';
import type { Service } from '../../../../main/common/model';
import { api } from '../../api/instance';
import { useEnvironments } from '../../store/environments';
import { useFleet, watchFleetGlance } from '../../store/glance';
import { matchesFilter, useServices } from '../../store/services';
import { fleetSummary } from '../glance/attention';
import { FIGURE_COLUMNS, FigureCells } from '../glance/FigureCells';
import { SortHeader, useRememberedSort } from '../glance/SortHeader';
import { sortRows, type SortKey, type SortRow } from '../glance/sort';
import { Badge } from '../services/Badge';
import { serviceHealth, serviceLabel } from '../services/format';
import '../glance/glance.css';

const COLUMNS: readonly (readonly [string, SortKey, boolean])[] = [
  ['Environment', 'environment', false],
  ['Service', 'name', false],
  ['Health', 'health', false],
  ['Instances', 'instances', true],
  ...FIGURE_COLUMNS,
];
const SORTABLE = COLUMNS.map(([, key]) => key);

interface OverviewRow extends SortRow {
  envName: string;
}

/** Every service across every environment, Docker and Kubernetes in one list, with health and figures. */
export function OverviewView() {
  useEffect(() => watchFleetGlance(api), []);
  const environments = useEnvironments((s) => s.environments);
  const loaded = useEnvironments((s) => s.loaded);
  const lists = useFleet((s) => s.services);
  const glance = useFleet((s) => s.glance);
  const counts = useFleet((s) => s.counts);
  const [filter, setFilter] = useState('');
  const [sort, onSort] = useRememberedSort('fleetdeck.sort.overview', { key: 'environment', dir: 'asc' }, SORTABLE);
  const body = useRef<HTMLTableSectionElement>(null);

  const names = useMemo(() => new Map(environments.map((e) => [e.id, e.name])), [environments]);
  const all = useMemo(() => {
    const rows: OverviewRow[] = [];
    for (const [envId, list] of Object.entries(lists)) {
      const envName = names.get(envId);
      if (envName === undefined) continue; // left the list; its watch is being let go
      for (const service of list) rows.push({ service, envName, glance: glance[service.id] });
    }
    return rows;
  }, [lists, names, glance]);
  const visible = useMemo(() => {
    const f = filter.trim().toLowerCase();
    const shown = f ? all.filter((r) => r.envName.toLowerCase().includes(f) || matchesFilter(r.service, f)) : all;
    return sortRows(shown, sort);
  }, [all, filter, sort]);

  // Environments whose services are not in the list yet, or not any more: said, not left out silently.
  const missing = environments.filter((e) => !(e.id in lists));
  const stale = environments.filter((e) => e.id in lists && e.state !== 'connected');

  const onKeyDown = useCallback((e: React.KeyboardEvent<HTMLTableRowElement>) => {
    const rows = [...(body.current?.querySelectorAll<HTMLTableRowElement>('tr[data-service]') ?? [])];
    const i = rows.indexOf(e.currentTarget);
    if (e.key === 'ArrowDown') rows[i + 1]?.focus();
    else if (e.key === 'ArrowUp') rows[i - 1]?.focus();
    else if (e.key === 'Enter' || e.key === ' ') openService(e.currentTarget.dataset.env!, e.currentTarget.dataset.service!);
    else return;
    e.preventDefault();
  }, []);

  return (
    <section className="main-view" aria-labelledby="overview-title">
      <header className="view-header">
        <h1 id="overview-title">Overview</h1>
      </header>
      <p className="overview-summary" data-testid="overview-summary">
        {fleetSummary(counts)}
      </p>
      {missing.length || stale.length ? (
        <ul className="overview-notes muted">
          {missing.map((e) => (
            <li key={e.id}>
              {e.state === 'connected' || e.state === 'connecting' ? (
                <>
                  <span className="spinner inline" aria-hidden="true" /> Listing {e.name}…
                </>
              ) : (
                `${e.name} is ${e.state === 'unreachable' ? 'unreachable' : e.state}: its services are not listed.`
              )}
            </li>
          ))}
          {stale.map((e) => (
            <li key={e.id}>{e.name} is not connected: the last known state of its services is shown.</li>
          ))}
        </ul>
      ) : null}
      <div className="toolbar">
        <label className="filter">
          <span className="sr-only">Filter all services</span>
          <input
            type="search"
            placeholder="Filter by service, environment, image"
            value={filter}
            onChange={(e) => setFilter(e.target.value)}
            aria-label="Filter all services"
          />
        </label>
        <span className="muted">
          {visible.length} of {all.length}
        </span>
      </div>
      {!loaded ? (
        <p role="status" className="empty-lead">
          <span className="spinner" aria-hidden="true" /> Connecting to the Fleetdeck engine…
        </p>
      ) : (
        <table className="grid overview-grid" aria-label="All services">
          <thead>
            <tr>
              {COLUMNS.map(([name, key, num]) => (
                <SortHeader key={name} label={name} sortKey={key} sort={sort} onSort={onSort} num={num} />
              ))}
            </tr>
          </thead>
          <tbody ref={body}>
            {visible.map((r) => (
              <OverviewRowView key={r.service.id} service={r.service} envName={r.envName} glance={r.glance} onKeyDown={onKeyDown} />
            ))}
          </tbody>
        </table>
      )}
      {loaded && all.length === 0 && missing.length === 0 ? <p className="muted pad">No services in any connected environment.</p> : null}
      {all.length > 0 && visible.length === 0 ? <p className="muted pad">No service matches “{filter}”.</p> : null}
    </section>
  );
}

const OverviewRowView = memo(function OverviewRowView({
  service: s,
  envName,
  glance,
  onKeyDown,
}: {
  service: Service;
  envName: string;
  glance: GlanceRow | undefined;
  onKeyDown(e: React.KeyboardEvent<HTMLTableRowElement>): void;
}) {
  const h = serviceHealth(s);
  return (
    <tr data-env={s.envId} data-service={s.id} tabIndex={0} onClick={() => openService(s.envId, s.id)} onKeyDown={onKeyDown}>
      <td className="env-cell" title={envName}>
        {envName}
      </td>
      <th scope="row" className="svc-name" title={serviceLabel(s)}>
        {serviceLabel(s)}
      </th>
      <td>
        <Badge tone={h.tone} reason={h.reason}>
          {h.word}
        </Badge>
      </td>
      <td className="mono num" aria-label={`${s.running} running of ${s.desired} desired`}>
        {s.running}/{s.desired}
      </td>
      <FigureCells glance={glance} />
    </tr>
  );
});

/**
 * Shows a service in its environment, its detail open. The services store forgets the selection
 * when it starts watching another environment (watchServices), unless it already names that one:
 * so it is told first, with the list the Overview holds, and the table and detail show at once.
 */
function openService(envId: string, serviceId: string) {
  const services = useServices.getState();
  if (services.envId !== envId) {
    useServices.setState({ envId, services: useFleet.getState().services[envId] ?? [], loaded: envId in useFleet.getState().services, selectedId: serviceId });
  } else services.select(serviceId);
  useEnvironments.getState().select(envId);
}
