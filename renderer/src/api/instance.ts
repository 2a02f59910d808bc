import { ApiClient } from './client';
import { createPipe } from './pipe';

/** The app's one API client. */
export const api = new ApiClient(createPipe());
