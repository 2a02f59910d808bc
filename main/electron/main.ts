/**
 * The desktop shell: one window, locked down (context isolation, sandbox, no Node in the
 * page, strict CSP, no navigation, no new windows), talking to the core over one IPC pipe.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { app, BrowserWindow, ipcMain, Menu, session, shell } from 'electron';
import { Core } from '../core/core';
import { CONTENT_SECURITY_POLICY } from '../common/security';
import { attachIpcPipe } from './ipc-pipe';
import { attachNotifications } from './notifications';
import { buildMenu } from './menu';
import { loadWindowState, trackWindowState } from './window-state';

const here = dirname(fileURLToPath(import.meta.url)); // dist/main
const rendererIndex = join(here, '..', 'renderer', 'index.html');
const rendererRoot = pathToFileURL(join(here, '..', 'renderer') + '/').href;
const isAppUrl = (url: string) => url.startsWith(rendererRoot);

let win: BrowserWindow | undefined;

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!win) return;
    if (win.isMinimized()) win.restore();
    win.focus();
  });
  void app.whenReady().then(start);
}

async function start(): Promise<void> {
  console.log(`Fleetdeck ${app.getVersion()} on Electron ${process.versions.electron}, Node ${process.versions.node}`);
  session.defaultSession.setPermissionRequestHandler((_wc, _perm, cb) => cb(false));
  session.defaultSession.webRequest.onHeadersReceived((details, cb) => {
    cb({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
  Menu.setApplicationMenu(buildMenu());

  const core = await new Core({ mode: 'desktop' }).start();
  const detach = attachIpcPipe(core, isAppUrl, ipcMain);
  attachNotifications(core.alerts, () => BrowserWindow.getAllWindows()[0]?.show());
  let quitting = false;
  app.on('will-quit', (e) => {
    if (quitting) return;
    // What was collected is stored before the process ends.
    quitting = true;
    e.preventDefault();
    detach();
    void core.close().finally(() => app.quit());
  });

  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
}

function createWindow(): void {
  const state = loadWindowState();
  win = new BrowserWindow({
    ...(state.placed ? state.bounds : { width: state.bounds.width, height: state.bounds.height }),
    minWidth: 720,
    minHeight: 480,
    show: false,
    title: 'Fleetdeck',
    backgroundColor: '#1b1d21',
    webPreferences: {
      preload: join(here, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      spellcheck: false,
    },
  });
  if (state.maximized) win.maximize();
  trackWindowState(win);
  win.once('ready-to-show', () => win?.show());
  win.on('closed', () => (win = undefined));

  const wc = win.webContents;
  wc.setWindowOpenHandler(({ url }) => {
    if (/^https?:\/\//i.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  wc.on('will-navigate', (e, url) => {
    if (!isAppUrl(url)) e.preventDefault();
  });
  wc.on('will-attach-webview', (e) => e.preventDefault());
  void win.loadFile(rendererIndex);
}
