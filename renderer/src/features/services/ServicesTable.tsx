import { memo, useCallback, useMemo, useRef } from 'react';
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
      {/*
        Laid out as a grid, with the table's roles spelled out (a display other than table drops them in some
        browsers): each row lays out on its own, and rows off screen are skipped (content-visibility) while
        staying in the page for find-in-page and assistive tech. A thousand-row table laid out as a table
        measured every cell again whenever one count changed.
      */}
      <table className="grid services-grid" aria-label="Services" role="table">
        <thead role="rowgroup">
          <tr role="row">
            {COLUMNS.map(([name, num]) => (
              <th key={name} scope="col" role="columnheader" className={num ? 'num' : undefined}>
                {name}
              </th>
            ))}
          </tr>
        </thead>
        <tbody role="rowgroup">{grouped.map(row)}</tbody>
        {standalone.length ? (
          <tbody role="rowgroup">
            <tr className="group-row" role="row">
              <th scope="rowgroup" colSpan={6} role="rowheader">
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

/** Header, and whether the column holds numbers (right-aligned). */
const COLUMNS: [string, boolean][] = [
  ['Name', false],
  ['Kind', false],
  ['Instances', true],
  ['Health', false],
  ['Image', false],
  ['Age', true],
];

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

  return (
    <tr
      data-service={s.id}
      role="row"
      tabIndex={0}
      aria-selected={selected}
      className={selected ? 'selected' : undefined}
      onClick={() => select(s.id)}
      onKeyDown={onKeyDown}
    >
      <th scope="row" role="rowheader" className="svc-name" title={serviceLabel(s)}>
        {serviceLabel(s)}
        {busy ? <span className="spinner inline" aria-hidden="true" /> : null}
      </th>
      <td role="cell" className="muted">
        {s.group === 'standalone' ? 'container' : s.group}
      </td>
      <td role="cell" className="mono num" aria-label={`${s.running} running of ${s.desired} desired`}>
        <Flash value={`${s.running}/${s.desired}`} quietMs={SETTLE_MS}>
          {s.running}/{s.desired}
        </Flash>
      </td>
      <td role="cell">
        <Badge tone={h.tone} reason={h.reason}>
          {h.word}
        </Badge>
      </td>
      <td role="cell" className="mono ellipsis" title={s.image}>
        {s.image}
      </td>
      <td role="cell" className="mono num">
        <Age from={s.createdAt} />
      </td>
    </tr>
  );
});

/** A row that just appeared fills in its counts as its pods are listed: no flash for that. */
const SETTLE_MS = 2000;
