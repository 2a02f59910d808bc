/** Entry point of the order-service bundle (dist/server.js in the image). */
import { startFromEnv } from '../../lib/service';
import { ORDER_SERVICE_PORT, buildOrderService } from './app';

startFromEnv(() => buildOrderService(), ORDER_SERVICE_PORT);
