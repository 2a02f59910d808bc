import { useEffect } from 'react';
import type { Environment } from '../../../../main/common/model';
import { api } from '../../api/instance';
import { runServiceAction, useServices, watchServices } from '../../store/services';
import { StartSamples } from '../samples/StartSamples';
import { ServiceDetail } from './ServiceDetail';
import { ServicesTable } from './ServicesTable';

/** A connected engine's services: the table, and the selected service beside it. */
export function ServicesView({ env }: { env: Environment }) {
  useEffect(() => watchServices(api, env.id), [env.id]);
  const loaded = useServices((s) => s.loaded);
  const count = useServices((s) => s.services.length);
  const selected = useServices((s) => s.services.find((x) => x.id === s.selectedId));

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      const typing = !!t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT' || t.isContentEditable || !!t.closest('.terminal'));
      if (e.key === 'Escape' && !document.querySelector('dialog[open]')) useServices.getState().select(undefined);
      if (typing || e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.key === '/') {
        e.preventDefault();
        document.getElementById('service-filter')?.focus();
      } else if (e.key === '+' || e.key === '-') {
        const s = useServices.getState();
        const svc = s.services.find((x) => x.id === s.selectedId);
        if (!svc || !svc.scalable || svc.operation || s.pending[svc.id]) return;
        const target = svc.desired + (e.key === '+' ? 1 : -1);
        if (target < 1) return; // scaling to 0 destroys: only through the confirmed control
        e.preventDefault();
        void Promise.resolve().then(() =>
          runServiceAction(svc.id, `Scaling to ${target}…`, () => api.call('services.scale', { serviceId: svc.id, replicas: target })),
        );
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  if (!loaded) {
    return (
      <p role="status" className="empty-lead">
        <span className="spinner" aria-hidden="true" />{' '}
        {env.kind === 'docker'
          ? 'Listing containers…'
          : `Listing workloads in ${env.namespaces === 'all' ? 'all namespaces' : (env.namespaces ?? [env.namespace ?? 'default']).join(', ')}…`}
      </p>
    );
  }
  if (count === 0 && env.capabilities.namespaces) {
    const where = env.namespaces === 'all' ? 'any namespace' : (env.namespaces ?? [env.namespace ?? 'default']).join(', ');
    return (
      <div className="empty">
        <h2>No workloads in {where}</h2>
        <p>
          Deployments and StatefulSets appear here as services, their pods as instances. Choose other namespaces, or all of them, under the context in the
          sidebar.
        </p>
      </div>
    );
  }
  if (count === 0) {
    return (
      <div className="empty">
        <h2>No services yet</h2>
        <p>
          Services on this engine appear here as they start: containers that share a Compose service or a <code>dev.fleetdeck.service</code> label, and
          standalone containers. Start something from a terminal, or try the sample system (a user service and an order service).
        </p>
        <StartSamples />
      </div>
    );
  }
  return (
    <div className={selected ? 'split with-detail' : 'split'}>
      <ServicesTable />
      {selected ? <ServiceDetail service={selected} /> : null}
    </div>
  );
}
