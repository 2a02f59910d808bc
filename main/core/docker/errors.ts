/** Engine errors as the user should read them: what happened, and what to do. */
import { ApiError } from '../../common/errors';

export function dockerError(e: unknown, doing: string): ApiError {
  if (e instanceof ApiError) return e;
  const x = e as { statusCode?: number; json?: { message?: string }; reason?: string; message?: string; code?: string };
  const detail = (x.json?.message ?? x.reason ?? x.message ?? String(e)).split('\n')[0]!.replace(/^\(HTTP code \d+\) /, '');
  if (x.code === 'ECONNREFUSED' || x.code === 'ENOENT' || x.code === 'ECONNRESET') {
    return new ApiError('UNREACHABLE', `Could not ${doing}: the Docker engine is not reachable.`, 'Start Docker; Fleetdeck reconnects by itself.');
  }
  switch (x.statusCode) {
    case 404:
      if (/image/i.test(detail)) return new ApiError('NOT_FOUND', `Could not ${doing}: ${detail}.`, 'Build or pull the image on this engine, then try again.');
      return new ApiError('NOT_FOUND', `Could not ${doing}: ${detail}.`, 'It was probably removed meanwhile; the list is current again.');
    case 409:
      return new ApiError('CONFLICT', `Could not ${doing}: ${detail}.`, 'Wait for the other change to finish, then try again.');
    case 304:
      return new ApiError('CONFLICT', `Could not ${doing}: it is already in that state.`);
    default:
      if (/port is already allocated|address already in use/i.test(detail)) {
        return new ApiError('CONFLICT', `Could not ${doing}: ${detail}.`, 'Free the host port or publish on another one.');
      }
      return new ApiError('INTERNAL', `Could not ${doing}: ${detail}.`, 'Check the engine log (journalctl -u docker) if it persists.');
  }
}
