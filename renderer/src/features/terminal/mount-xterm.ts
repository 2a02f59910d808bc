/** An xterm in a panel, themed to the window, fitted to its box now and whenever the box changes. */
import { FitAddon } from '@xterm/addon-fit';
import { Terminal, type ITerminalOptions } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';

const FONT = 'ui-monospace, "SFMono-Regular", "JetBrains Mono", Menlo, Consolas, "Liberation Mono", monospace';

export function mountXterm(el: HTMLElement, options: ITerminalOptions): { term: Terminal; dispose(): void } {
  const dark = document.documentElement.dataset.theme === 'dark';
  const term = new Terminal({
    fontFamily: FONT,
    scrollback: 5000,
    theme: dark ? { background: '#111317', foreground: '#e6e8ec' } : { background: '#fbfbfc', foreground: '#1b1d21', cursor: '#1b1d21' },
    ...options,
  });
  const fit = new FitAddon();
  term.loadAddon(fit);
  term.open(el);
  const refit = () => {
    try {
      fit.fit();
    } catch {
      /* hidden or not laid out yet: the observer fits it later */
    }
  };
  refit();
  const ro = new ResizeObserver(refit);
  ro.observe(el);
  return {
    term,
    dispose: () => {
      ro.disconnect();
      term.dispose();
    },
  };
}
