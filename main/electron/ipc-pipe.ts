/** The desktop pipe: API sessions over IPC, one per page load, only for the app's own frame. */
import type { IpcMain, IpcMainEvent, WebContents } from 'electron';
import type { ApiSession } from '../core/api/session';
import type { Core } from '../core/core';
import { PIPE_CHANNEL } from './channel';

/** `ipcMain` is passed in so the pipe is tested without Electron. */
export function attachIpcPipe(core: Pick<Core, 'session'>, isAppUrl: (url: string) => boolean, ipcMain: Pick<IpcMain, 'on' | 'off'>): () => void {
  const sessions = new Map<WebContents, { session: ApiSession; unhook(): void }>();

  const end = (wc: WebContents) => {
    const s = sessions.get(wc);
    sessions.delete(wc);
    s?.unhook();
    s?.session.close();
  };

  const onMessage = (e: IpcMainEvent, text: unknown) => {
    const frame = e.senderFrame;
    // Only the top frame of our own page speaks the API; anything else is ignored.
    if (!frame || frame.parent !== null || !isAppUrl(frame.url) || typeof text !== 'string') return;
    const wc = e.sender;
    let s = sessions.get(wc)?.session;
    if (!s) {
      s = core.session((out) => {
        if (!wc.isDestroyed()) wc.send(PIPE_CHANNEL, out);
      });
      // A new page (reload) must not inherit its predecessor's streams. End them when the new page
      // commits: a navigation that is started and then blocked (will-navigate) leaves this page in place.
      const onNavigate = () => end(wc);
      const onGone = () => end(wc);
      wc.on('did-navigate', onNavigate);
      wc.on('render-process-gone', onGone);
      wc.on('destroyed', onGone);
      const unhook = () => {
        wc.off('did-navigate', onNavigate);
        wc.off('render-process-gone', onGone);
        wc.off('destroyed', onGone);
      };
      sessions.set(wc, { session: s, unhook });
    }
    s.receive(text);
  };

  ipcMain.on(PIPE_CHANNEL, onMessage);
  return () => {
    ipcMain.off(PIPE_CHANNEL, onMessage);
    for (const wc of [...sessions.keys()]) end(wc);
  };
}
