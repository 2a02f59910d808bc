/** The desktop pipe: API sessions over IPC, one per page load, only for the app's own frame. */
import { ipcMain, type IpcMainEvent, type WebContents } from 'electron';
import type { ApiSession } from '../core/api/session';
import type { Core } from '../core/core';
import { PIPE_CHANNEL } from './channel';

export function attachIpcPipe(core: Core, isAppUrl: (url: string) => boolean): () => void {
  const sessions = new Map<WebContents, ApiSession>();

  const end = (wc: WebContents) => {
    sessions.get(wc)?.close();
    sessions.delete(wc);
  };

  const onMessage = (e: IpcMainEvent, text: unknown) => {
    const frame = e.senderFrame;
    // Only the top frame of our own page speaks the API; anything else is ignored.
    if (!frame || frame.parent !== null || !isAppUrl(frame.url) || typeof text !== 'string') return;
    const wc = e.sender;
    let s = sessions.get(wc);
    if (!s) {
      s = core.session((out) => {
        if (!wc.isDestroyed()) wc.send(PIPE_CHANNEL, out);
      });
      sessions.set(wc, s);
      // A reload starts a new page: its predecessor's streams must not outlive it.
      wc.once('did-start-navigation', () => end(wc));
      wc.once('render-process-gone', () => end(wc));
      wc.once('destroyed', () => end(wc));
    }
    s.receive(text);
  };

  ipcMain.on(PIPE_CHANNEL, onMessage);
  return () => {
    ipcMain.off(PIPE_CHANNEL, onMessage);
    for (const wc of [...sessions.keys()]) end(wc);
  };
}
