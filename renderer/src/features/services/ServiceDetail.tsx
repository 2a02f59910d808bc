import { useEffect, useState } from 'react';
import type { Instance, Service } from '../../../../main/common/model';
import { api } from '../../api/instance';
import { useEnvironment } from '../../store/environments';
import { runServiceAction, useServices } from '../../store/services';
import { InspectPanel } from '../inspect/InspectPanel';
import { InstancesTable } from '../instances/InstancesTable';
import { LogsPanel } from '../logs/LogsPanel';
import { MetricsPanel } from '../metrics/MetricsPanel';
import { TerminalPanel } from '../terminal/TerminalPanel';
import { serviceLabel } from './format';
import { ScaleControls } from './ScaleControls';
import { ServiceHealthDetail } from './Breakers';

type Tab = 'instances' | 'logs' | 'metrics' | 'terminal' | 'inspect';

export function ServiceDetail({ service }: { service: Service }) {
  const select = useServices((s) => s.select);
  const [tab, setTab] = useState<Tab>('instances');
  const [terminalFor, setTerminalFor] = useState<string | undefined>();
  const [inspectFor, setInspectFor] = useState<string | undefined>();
  useEffect(() => {
    setTab('instances');
    setTerminalFor(undefined);
    setInspectFor(undefined);
  }, [service.id]);

  const running = service.instances.filter((i) => i.state === 'running');
  const termInstance: Instance | undefined = service.instances.find((i) => i.id === terminalFor) ?? running[0];
  const openTerminal = (i: Instance) => {
    setTerminalFor(i.id);
    setTab('terminal');
  };
  // Any instance can be inspected, stopped ones above all: that is when people ask why.
  const inspectInstance: Instance | undefined = service.instances.find((i) => i.id === inspectFor) ?? service.instances[0];
  const openInspect = (i: Instance) => {
    setInspectFor(i.id);
    setTab('inspect');
  };
  const env = useEnvironment(service.envId);
  const canInspect = env?.capabilities.inspect ?? false;
  const pending = useServices((s) => s.pending[service.id]);
  const busy = Boolean(service.operation || pending);

  return (
    <section className="detail" aria-label={`Service ${serviceLabel(service)}`}>
      <header className="detail-header">
        <div className="detail-title">
          <h2>{serviceLabel(service)}</h2>
          <span className="mono muted ellipsis" title={service.image}>
            {service.image}
          </span>
          <button type="button" className="ghost close" onClick={() => select(undefined)} aria-label="Close service details" title="Close (Esc)">
            ✕ Close
          </button>
        </div>
        <div className="detail-actions">
          <ScaleControls service={service} />
          {service.group !== 'standalone' ? (
            <button
              type="button"
              className="secondary"
              disabled={busy || service.running === 0}
              onClick={() => void runServiceAction(service.id, 'Rolling restart…', () => api.call('services.restart', { serviceId: service.id }))}
            >
              Rolling restart
            </button>
          ) : null}
        </div>
        <ServiceHealthDetail service={service} />
      </header>
      <div role="tablist" aria-label="Service views" className="tabs">
        <button type="button" role="tab" aria-selected={tab === 'instances'} onClick={() => setTab('instances')}>
          Instances ({service.instances.length})
        </button>
        <button type="button" role="tab" aria-selected={tab === 'logs'} onClick={() => setTab('logs')}>
          Logs
        </button>
        <button type="button" role="tab" aria-selected={tab === 'metrics'} onClick={() => setTab('metrics')}>
          Metrics
        </button>
        <button type="button" role="tab" aria-selected={tab === 'terminal'} onClick={() => setTab('terminal')}>
          Terminal
        </button>
        <button type="button" role="tab" aria-selected={tab === 'inspect'} onClick={() => setTab('inspect')}>
          Inspect
        </button>
      </div>
      <div role="tabpanel" className="tabpanel">
        {tab === 'instances' ? (
          <InstancesTable service={service} onTerminal={openTerminal} onInspect={openInspect} />
        ) : tab === 'logs' ? (
          <LogsPanel service={service} />
        ) : tab === 'metrics' ? (
          <MetricsPanel service={service} />
        ) : tab === 'inspect' ? (
          !canInspect ? (
            <p className="muted pad">{env?.name ?? 'This environment'} cannot inspect its instances in this version of Fleetdeck.</p>
          ) : inspectInstance ? (
            <>
              {service.instances.length > 1 ? (
                <label className="pick">
                  Instance{' '}
                  <select value={inspectInstance.id} onChange={(e) => setInspectFor(e.target.value)} aria-label="Inspect instance">
                    {service.instances.map((i) => (
                      <option key={i.id} value={i.id}>
                        {i.name}
                      </option>
                    ))}
                  </select>
                </label>
              ) : null}
              <InspectPanel key={inspectInstance.id} envId={service.envId} instance={inspectInstance} />
            </>
          ) : (
            <p className="muted pad">No instance to inspect. Scale up to start one.</p>
          )
        ) : env && !env.capabilities.terminal ? (
          <p className="muted pad">{env.name} offers no terminals into its instances.</p>
        ) : termInstance && termInstance.state === 'running' ? (
          <>
            {running.length > 1 ? (
              <label className="pick">
                Instance{' '}
                <select value={termInstance.id} onChange={(e) => setTerminalFor(e.target.value)} aria-label="Terminal instance">
                  {running.map((i) => (
                    <option key={i.id} value={i.id}>
                      {i.name}
                    </option>
                  ))}
                </select>
              </label>
            ) : null}
            <TerminalPanel key={termInstance.id} envId={service.envId} instance={termInstance} />
          </>
        ) : (
          <p className="muted pad">No running instance to open a terminal in.</p>
        )}
      </div>
    </section>
  );
}
