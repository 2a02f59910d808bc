import { memo, useCallback, useEffect, useMemo, useRef } from 'react';
import type { GlanceRow } from '../../../../main/common/metrics-model';
import type { Service } from '../../../../main/common/model';
import { api } from '../../api/instance';
import { FIGURE_COLUMNS, FigureCells } from '../glance/FigureCells';
import { SortHeader, useRememberedSort } from '../glance/SortHeader';
import { sortRows, type SortKey } from '../glance/sort';
import { useGlance, watchGlance } from '../../store/glance';
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
  const envId = useServices((s) => s.envId);
  const glance = useGlance((s) => s.rows);
  const [sort, onSort] = useRememberedSort('fleetdeck.sort.services', undefined, SORTABLE);
  const body = useRef<HTMLDivElement>(null);
  useEffect(() => (envId ? watchGlance(api, envId) : undefined), [envId]);

  const visible = useMemo(() => services.filter((s) => matchesFilter(s, filter)), [services, filter]);
  // Sorted within each group: standalone containers stay at the end. Unsorted, the engine's order.
  const [grouped, standalone] = useMemo(() => {
    const rows = (list: Service[]) =>
      sortRows(
        list.map((service) => ({ service, glance: sort ? glance[service.id] : undefined })),
        sort,
      ).map((r) => r.service);
    return [rows(visible.filter((s) => s.group !== 'standalone')), rows(visible.filter((s) => s.group === 'standalone'))];
  }, [visible, sort, glance]);

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
    <ServiceRow
      key={s.id}
      service={s}
      glance={glance[s.id]}
      selected={s.id === selectedId}
      busy={!!(s.operation || pending[s.id])}
      select={select}
      onKeyDown={onKeyDown}
    />
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
      <table className="grid services-grid with-figures" aria-label="Services" role="table">
        <thead role="rowgroup">
          <tr role="row">
            {COLUMNS.map(([name, key, num]) => (
              <SortHeader key={name} label={name} sortKey={key} sort={sort} onSort={onSort} num={num} />
            ))}
          </tr>
        </thead>
        <tbody role="rowgroup">{grouped.map(row)}</tbody>
        {standalone.length ? (
          <tbody role="rowgroup">
            <tr className="group-row" role="row">
              <th scope="rowgroup" colSpan={COLUMNS.length} role="rowheader">
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

/** Header, the sort it offers (none for Kind and Image), and whether the column holds numbers (right-aligned). */
const COLUMNS: readonly (readonly [string, SortKey | undefined, boolean])[] = [
  ['Name', 'name', false],
  ['Kind', undefined, false],
  ['Instances', 'instances', true],
  ['Health', 'health', false],
  ...FIGURE_COLUMNS,
  ['Image', undefined, false],
  ['Age', 'age', true],
];
const SORTABLE = COLUMNS.flatMap(([, key]) => (key ? [key] : []));

interface RowProps {
  service: Service;
  glance: GlanceRow | undefined;
  selected: boolean;
  busy: boolean;
  select(id: string): void;
  onKeyDown(e: React.KeyboardEvent<HTMLTableRowElement>): void;
}

/** Rendered again only when its service or its figures changed (both keep untouched ones the same object) or it is selected or busy. */
const ServiceRow = memo(function ServiceRow({ service: s, glance, selected, busy, select, onKeyDown }: RowProps) {
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
      <FigureCells glance={glance} />
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
