/** The one way a stream ends when the environment it reads from is removed from Fleetdeck. */
import { ApiError } from '../../common/errors';
import type { EnvironmentDriver } from './driver';

/**
 * Runs `stop` and then `end` once the driver is removed; the returned function stops the stream
 * otherwise (the client closed it), and stops listening for the removal. Either way `stop` runs once.
 */
export function untilRemoved(driver: Pick<EnvironmentDriver, 'name' | 'onRemoved'>, stop: () => void, end: (error: ApiError) => void): () => void {
  let done = false;
  const once = () => {
    if (done) return false;
    done = true;
    stopListening();
    stop();
    return true;
  };
  const stopListening = driver.onRemoved(() => {
    if (once()) end(new ApiError('NOT_FOUND', `${driver.name} was removed from Fleetdeck.`, 'Pick another environment.'));
  });
  return () => void once();
}
