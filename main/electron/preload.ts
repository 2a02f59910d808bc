/**
 * Exposes exactly one thing to the page: a message pipe carrying the API protocol's JSON
 * text. Never ipcRenderer, never Node. Bundled to one CommonJS file (sandboxed preloads
 * cannot load ESM or other modules).
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { PIPE_CHANNEL } from './channel';

contextBridge.exposeInMainWorld('fleetdeckPipe', {
  send(text: unknown): void {
    if (typeof text === 'string') ipcRenderer.send(PIPE_CHANNEL, text);
  },
  onMessage(cb: (text: string) => void): () => void {
    const listener = (_e: IpcRendererEvent, text: unknown) => {
      if (typeof text === 'string') cb(text);
    };
    ipcRenderer.on(PIPE_CHANNEL, listener);
    return () => ipcRenderer.removeListener(PIPE_CHANNEL, listener);
  },
});
