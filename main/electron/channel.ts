/** The one IPC channel the preload exposes; the messages on it are the API protocol's JSON text. */
export const PIPE_CHANNEL = 'fleetdeck:pipe';
