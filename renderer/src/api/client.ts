/** The window's API client is the shared one (main/common/api-client.ts). */
export { ApiClient } from '../../../main/common/api-client';
