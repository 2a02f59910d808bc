import { memo, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Service } from '../../../../main/common/model';
import { matchesFilter, useServices } from '../../store/services';
import { Flash } from '../shell/Flash';
import { Age } from './Age';
import { Badge } from './Badge';
import { serviceHealth, serviceLabel } from './format';

/** One row per service; standalone containers in their own group at the end. Arrows move, Enter opens. */
export function ServicesTable() {
  const services = useServices((s) => s.services);
  const filter = useServices((s) => s.filter);
  const selectedId = useServices((s) => s.selectedId);
  const select = useServices((s) => s.select);
  const setFilter = useServices((s) => s.setFilter);
  const pending = useServices((s) => s.pending);
  const body = useRef<HTMLDivElement>(null);

  const visible = useMemo(() => services.filter((s) => matchesFilter(s, filter)), [services, filter]);
  const grouped = visible.filter((s) => s.group !== 'standalone');
  const standalone = visible.filter((s) => s.group === 'standalone');

  // Stable, so a row whose service did not change (same object) is not rendered again.
  const onKeyDown = useCallback(
    (e: React.KeyboardEvent<HTMLTableRowElement>) => {
      const rows = [...(body.current?.querySelectorAll<HTMLTableRowElement>('tr[data-service]') ?? [])];
      const i = rows.indexOf(e.currentTarget);
      if (e.key === 'ArrowDown') rows[i + 1]?.focus();
      else if (e.key === 'ArrowUp') rows[i - 1]?.focus();
      else if (e.key === 'Enter' || e.key === ' ') select(e.currentTarget.dataset.service);
      else return;
      e.preventDefault();
    },
    [select],
  );

  const row = (s: Service) => (
    <ServiceRow key={s.id} service={s} selected={s.id === selectedId} busy={!!(s.operation || pending[s.id])} select={select} onKeyDown={onKeyDown} />
  );

  return (
    <div className="services-pane" ref={body}>
      <div className="toolbar">
        <label className="filter">
          <span className="sr-only">Filter services</span>
          <input
            id="service-filter"
            type="search"
            placeholder="Filter services  (/)"
            value={filter}
            onChange={(e) => setFilter(e.target.value)}
            aria-label="Filter services"
          />
        </label>
        <span className="muted">
          {visible.length} of {services.length}
        </span>
      </div>
      <table className="grid" aria-label="Services">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Kind</th>
            <th scope="col">Instances</th>
            <th scope="col">Health</th>
            <th scope="col">Image</th>
            <th scope="col">Age</th>
          </tr>
        </thead>
        <tbody>{grouped.map(row)}</tbody>
        {standalone.length ? (
          <tbody>
            <tr className="group-row">
              <th scope="rowgroup" colSpan={6}>
                Standalone containers
              </th>
            </tr>
            {standalone.map(row)}
          </tbody>
        ) : null}
      </table>
      {visible.length === 0 && services.length > 0 ? <p className="muted pad">No service matches “{filter}”.</p> : null}
    </div>
  );
}

interface RowProps {
  service: Service;
  selected: boolean;
  busy: boolean;
  select(id: string): void;
  onKeyDown(e: React.KeyboardEvent<HTMLTableRowElement>): void;
}

/** Rendered again only when its service changed (services.watch keeps untouched ones the same object) or it is selected or busy. */
const ServiceRow = memo(function ServiceRow({ service: s, selected, busy, select, onKeyDown }: RowProps) {
  const h = serviceHealth(s);
  const settled = useSettled();
  const count = (
    <>
      {s.running}/{s.desired}
    </>
  );
  return (
    <tr
      data-service={s.id}
      tabIndex={0}
      aria-selected={selected}
      className={selected ? 'selected' : undefined}
      onClick={() => select(s.id)}
      onKeyDown={onKeyDown}
    >
      <th scope="row" className="svc-name">
        {serviceLabel(s)}
        {busy ? <span className="spinner inline" aria-hidden="true" /> : null}
      </th>
      <td className="muted">{s.group === 'standalone' ? 'container' : s.group}</td>
      <td className="mono num" aria-label={`${s.running} running of ${s.desired} desired`}>
        {settled ? <Flash value={`${s.running}/${s.desired}`}>{count}</Flash> : <span>{count}</span>}
      </td>
      <td>
        <Badge tone={h.tone}>{h.word}</Badge>
      </td>
      <td className="mono ellipsis" title={s.image}>
        {s.image}
      </td>
      <td className="mono num">
        <Age from={s.createdAt} />
      </td>
    </tr>
  );
});

/**
 * A row that just appeared fills in its counts as its pods are listed (a namespace picked: a
 * thousand rows at once); flashing each of those changes would repaint the whole table for seconds.
 */
const SETTLE_MS = 2000;
function useSettled(): boolean {
  const [settled, setSettled] = useState(false);
  useEffect(() => {
    const t = setTimeout(() => setSettled(true), SETTLE_MS);
    return () => clearTimeout(t);
  }, []);
  return settled;
}
