import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { formatError, type ApiErrorBody } from '../../../../main/common/errors';
import type { InstanceInspect, Instance } from '../../../../main/common/model';
import { api } from '../../api/instance';
import { Badge } from '../services/Badge';
import { age, type Tone } from '../services/format';
import { useNow } from '../shell/useNow';
import { EnvTable } from './EnvTable';
import { RawView } from './RawView';
import { whyUnhealthy } from './why';

type Phase = { kind: 'loading' } | { kind: 'failed'; error: ApiErrorBody } | { kind: 'loaded'; data: InstanceInspect; at: number };

/**
 * What one instance is and why it is (un)healthy. Everything shown came from a container or a
 * cluster: it passed the output policy on the engine's side and React renders it as text.
 */
export function InspectPanel({ envId, instance }: { envId: string; instance: Instance }) {
  const [phase, setPhase] = useState<Phase>({ kind: 'loading' });
  const [refreshing, setRefreshing] = useState(false);
  const now = useNow(5_000);

  const load = useCallback(
    async (signal: { stale: boolean }) => {
      setRefreshing(true);
      try {
        const data = await api.call('instances.inspect', { envId, instance: instance.id });
        if (!signal.stale) setPhase({ kind: 'loaded', data, at: Date.now() });
      } catch (e) {
        if (!signal.stale) setPhase({ kind: 'failed', error: e as ApiErrorBody });
      } finally {
        if (!signal.stale) setRefreshing(false);
      }
    },
    [envId, instance.id],
  );
  // An answer for an instance the user has since left must not land on the next one.
  const live = useRef({ stale: false });
  useEffect(() => {
    const t = { stale: false };
    live.current = t;
    setPhase({ kind: 'loading' });
    void load(t);
    return () => {
      t.stale = true;
    };
  }, [load]);
  const refresh = () => void load(live.current);

  const bar = (
    <div className="inspect-bar">
      <h3 className="inspect-title">
        Inspect <span className="mono">{instance.name}</span>
      </h3>
      <button type="button" className="secondary" onClick={refresh} disabled={refreshing} aria-label={`Refresh inspect of ${instance.name}`}>
        {refreshing && phase.kind !== 'loading' ? 'Refreshing…' : 'Refresh'}
      </button>
      {phase.kind === 'loaded' ? <span className="muted">updated {age(phase.at, now)} ago</span> : null}
    </div>
  );

  if (phase.kind === 'loading') {
    return (
      <div className="inspect">
        {bar}
        <p className="progress" role="status">
          <span className="spinner" aria-hidden="true" /> Asking the engine about {instance.name}…
        </p>
      </div>
    );
  }
  if (phase.kind === 'failed') {
    return (
      <div className="inspect">
        {bar}
        <div className="inspect-failed" role="alert">
          <p>
            <strong>Could not inspect {instance.name}.</strong> {formatError(phase.error)}
          </p>
          <p className="muted">Press Refresh to ask again; if the instance was replaced, pick it again in the Instances tab.</p>
        </div>
      </div>
    );
  }
  return (
    <div className="inspect">
      {bar}
      <InspectSections data={phase.data} now={now} />
    </div>
  );
}

function InspectSections({ data: x, now }: { data: InstanceInspect; now: number }) {
  const why = whyUnhealthy(x);
  return (
    <>
      {why ? (
        <section className="inspect-why" aria-label="Why it is unhealthy">
          <h4>{why.title}</h4>
          {why.lines.map((l, i) => (
            <p key={i}>{l}</p>
          ))}
          {why.output !== undefined ? (
            <pre className="inspect-pre" aria-label="Health check output">
              {why.output}
            </pre>
          ) : null}
        </section>
      ) : null}

      <Section title="Summary">
        <dl className="inspect-facts">
          {x.facts.map((f, i) => (
            <div key={`${f.label}-${i}`}>
              <dt>{f.label}</dt>
              <dd className="mono">{f.value}</dd>
            </div>
          ))}
        </dl>
      </Section>

      {x.health ? (
        <Section title="Health check">
          <p>
            <Badge tone={healthTone(x.health.status)}>{x.health.status}</Badge>{' '}
            <span className="muted">
              failing streak {x.health.failingStreak}, last {x.health.runs.length} run{x.health.runs.length === 1 ? '' : 's'} (newest first)
            </span>
          </p>
          <ol className="inspect-runs" aria-label="Health check runs">
            {[...x.health.runs].reverse().map((r) => (
              <li key={r.start}>
                <div>
                  <span className="mono">{new Date(r.start).toLocaleTimeString()}</span> ·{' '}
                  <span className={r.exitCode === 0 ? '' : 'error-inline'}>
                    exit code {r.exitCode}
                    {r.exitCode === 0 ? ' (passed)' : ' (failed)'}
                  </span>
                  {r.end ? <span className="muted"> · took {((r.end - r.start) / 1000).toFixed(1)} s</span> : null}
                </div>
                <pre className="inspect-pre">{r.output || '(no output)'}</pre>
              </li>
            ))}
          </ol>
        </Section>
      ) : null}

      {x.conditions ? (
        <Section title="Conditions">
          {x.conditions.length ? (
            <table className="grid" aria-label="Conditions">
              <thead>
                <tr>
                  <th scope="col">Type</th>
                  <th scope="col">Status</th>
                  <th scope="col">Reason</th>
                  <th scope="col">Message</th>
                  <th scope="col">Since</th>
                </tr>
              </thead>
              <tbody>
                {x.conditions.map((c, i) => (
                  <tr key={`${c.type}-${i}`}>
                    <th scope="row">{c.type}</th>
                    <td>{c.status}</td>
                    <td>{c.reason ?? ''}</td>
                    <td className="inspect-value">{c.message ?? ''}</td>
                    <td className="mono">{c.at ? age(c.at, now) : '–'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p className="muted">No conditions reported.</p>
          )}
        </Section>
      ) : null}

      {x.events ? (
        <Section title="Events">
          {x.events.length ? (
            <table className="grid" aria-label="Events">
              <thead>
                <tr>
                  <th scope="col">Type</th>
                  <th scope="col">Reason</th>
                  <th scope="col">Message</th>
                  <th scope="col" className="num">
                    Count
                  </th>
                  <th scope="col">Last seen</th>
                </tr>
              </thead>
              <tbody>
                {x.events.map((e, i) => (
                  <tr key={`${e.reason}-${e.last}-${i}`} className={e.type === 'Warning' ? 'warning' : undefined}>
                    <td>{e.type === 'Warning' ? <Badge tone="warn">Warning</Badge> : e.type}</td>
                    <td>{e.reason}</td>
                    <td className="inspect-value">
                      {e.message}
                      {e.source ? <span className="muted"> · {e.source}</span> : null}
                    </td>
                    <td className="num">{e.count}</td>
                    <td className="mono">{age(e.last, now)} ago</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p className="muted">No events about this pod (the cluster keeps them for an hour by default).</p>
          )}
        </Section>
      ) : null}

      <Section title="Environment">
        <EnvTable envId={x.envId} instance={x.instance} env={x.env} />
      </Section>

      <Section title="Ports">
        {x.ports.length ? (
          <ul className="inspect-list">
            {x.ports.map((p, i) => (
              <li key={i} className="mono">
                {p.hostPort ? `${p.hostIp ?? '0.0.0.0'}:${p.hostPort} → ` : ''}
                {p.containerPort}/{p.protocol}
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">No ports.</p>
        )}
      </Section>

      <Section title="Mounts">
        {x.mounts.length ? (
          <table className="grid" aria-label="Mounts">
            <thead>
              <tr>
                <th scope="col">Destination</th>
                <th scope="col">Source</th>
                <th scope="col">Mode</th>
                <th scope="col">Type</th>
              </tr>
            </thead>
            <tbody>
              {x.mounts.map((m, i) => (
                <tr key={i}>
                  <th scope="row" className="mono">
                    {m.destination}
                  </th>
                  <td className="mono inspect-value">{m.source}</td>
                  <td>{m.mode}</td>
                  <td>{m.type ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p className="muted">No mounts.</p>
        )}
      </Section>

      {x.kind === 'container' ? (
        <Section title="Networks">
          {x.networks.length ? (
            <ul className="inspect-list">
              {x.networks.map((n) => (
                <li key={n.name}>
                  <span className="mono">{n.name}</span>
                  {n.aliases?.length ? <span className="muted"> · aliases {n.aliases.join(', ')}</span> : null}
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted">No networks.</p>
          )}
        </Section>
      ) : null}

      <Section title="Labels">
        {Object.keys(x.labels).length ? (
          <table className="grid inspect-kv" aria-label="Labels">
            <tbody>
              {Object.entries(x.labels).map(([k, v]) => (
                <tr key={k}>
                  <th scope="row" className="mono">
                    {k}
                  </th>
                  <td className="mono inspect-value">{v}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p className="muted">No labels.</p>
        )}
      </Section>

      <Section title={`Raw (${x.raw.format.toUpperCase()})`}>
        <RawView format={x.raw.format} text={x.raw.text} />
      </Section>
    </>
  );
}

function Section({ title, children }: { title: string; children: React.ReactNode }) {
  const id = useId();
  return (
    <section className="inspect-section" aria-labelledby={id}>
      <h4 id={id}>{title}</h4>
      {children}
    </section>
  );
}

function healthTone(status: string): Tone {
  return status === 'healthy' ? 'ok' : status === 'unhealthy' ? 'warn' : status === 'starting' ? 'info' : 'unknown';
}
