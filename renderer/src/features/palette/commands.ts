/** What the command palette offers: every entry is also a button somewhere in the window. */
import type { Environment, Service } from '../../../../main/common/model';
import { serviceLabel } from '../services/format';

export interface Command {
  id: string;
  title: string;
  hint?: string;
  run(): void;
}

export interface CommandContext {
  environments: Environment[];
  services: Service[];
  selectEnvironment(id: string): void;
  openService(id: string): void;
  scale(s: Service, replicas: number): void;
  rollingRestart(s: Service): void;
  cycleTheme(): void;
}

export function buildCommands(c: CommandContext): Command[] {
  const out: Command[] = [];
  for (const s of c.services) {
    const name = serviceLabel(s);
    out.push({ id: `open:${s.id}`, title: `Go to ${name}`, hint: `${s.running}/${s.desired}`, run: () => c.openService(s.id) });
    if (s.scalable && !s.operation) {
      out.push({ id: `up:${s.id}`, title: `Scale ${name} up`, hint: `to ${s.desired + 1}`, run: () => c.scale(s, s.desired + 1) });
      // Scaling to 0 destroys every instance: only through the confirmed control, never from here.
      if (s.desired > 1) out.push({ id: `down:${s.id}`, title: `Scale ${name} down`, hint: `to ${s.desired - 1}`, run: () => c.scale(s, s.desired - 1) });
    }
    if (s.group !== 'standalone' && s.running > 0 && !s.operation) {
      out.push({ id: `restart:${s.id}`, title: `Rolling restart ${name}`, run: () => c.rollingRestart(s) });
    }
  }
  for (const e of c.environments) out.push({ id: `env:${e.id}`, title: `Switch to ${e.name}`, hint: e.state, run: () => c.selectEnvironment(e.id) });
  out.push({ id: 'theme', title: 'Switch theme', run: c.cycleTheme });
  return out;
}

/** Every word typed must appear in the title, in any order: "web up" finds "Scale shop/web up". */
export function filterCommands(list: Command[], query: string): Command[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (!words.length) return list;
  return list.filter((cmd) => words.every((w) => cmd.title.toLowerCase().includes(w)));
}
