/** Error codes every caller can branch on; the message says what happened, the hint what to do. */
export const ErrorCodes = [
  'BAD_MESSAGE', // not a protocol message at all
  'UNKNOWN_METHOD',
  'INVALID_PARAMS',
  'NOT_FOUND',
  'CONFLICT',
  'UNREACHABLE', // the engine or cluster does not answer
  'UNAUTHORIZED',
  'FORBIDDEN',
  'TIMEOUT',
  'CANCELLED',
  'LIMIT', // a bound on what one client may hold (streams, queued bytes)
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ErrorCodes)[number];

export interface ApiErrorBody {
  code: ErrorCode;
  message: string;
  hint?: string;
}

export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly hint?: string;
  constructor(code: ErrorCode, message: string, hint?: string) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    if (hint !== undefined) this.hint = hint;
  }

  toBody(): ApiErrorBody {
    return this.hint === undefined ? { code: this.code, message: this.message } : { code: this.code, message: this.message, hint: this.hint };
  }

  static fromBody(body: ApiErrorBody): ApiError {
    return new ApiError(body.code, body.message, body.hint);
  }
}

export function isErrorCode(v: unknown): v is ErrorCode {
  return typeof v === 'string' && (ErrorCodes as readonly string[]).includes(v);
}

/** One line for a terminal or a banner: message, then what to do. */
export function formatError(e: ApiErrorBody): string {
  return e.hint ? `${e.message} ${e.hint}` : e.message;
}
