/** Entry point of the user-service bundle (dist/server.js in the image). */
import { startFromEnv } from '../../lib/service';
import { USER_SERVICE_PORT, buildUserService } from './app';

startFromEnv(() => buildUserService(), USER_SERVICE_PORT);
