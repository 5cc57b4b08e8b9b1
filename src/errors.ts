// The one catalogue of Countersign's errors. Request and domain errors are CsError with a stable code;
// they are mapped to `{ code, message }` in one place. Never put internals (stack, SQL) in `message`.
export class CsError extends Error {
  constructor(
    readonly code: `CS_ERR_${string}`,
    readonly status: number,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'CsError';
  }
}

export const CS_ERR = {
  configInvalid: (file: string, path: string, problem: string) =>
    new CsError('CS_ERR_CONFIG_INVALID', 2, `${file}: ${path || '(top level)'}: ${problem}`),
  configUnreadable: (file: string, cause: unknown) =>
    new CsError('CS_ERR_CONFIG_UNREADABLE', 2, `${file}: cannot read the configuration: ${String((cause as Error)?.message ?? cause)}`, { cause }),
  dataDirUnusable: (dir: string, cause: unknown) =>
    new CsError('CS_ERR_DATA_DIR', 2, `${dir}: cannot use the data directory: ${String((cause as Error)?.message ?? cause)}`, { cause }),
  storeNotFound: (path: string) =>
    new CsError('CS_ERR_STORE_NOT_FOUND', 2, `${path}: no Countersign store here (run 'countersign serve' or 'countersign import' with this --data first)`),
  listenFailed: (what: string, address: string, cause: unknown) =>
    new CsError('CS_ERR_LISTEN', 2, `${what}: cannot listen on ${address}: ${String((cause as Error)?.message ?? cause)}`, { cause }),
  overloaded: () => new CsError('CS_ERR_OVERLOADED', 503, 'the store is behind; try again shortly'),
  inputUnreadable: (file: string, cause: unknown) =>
    new CsError('CS_ERR_INPUT_UNREADABLE', 2, `${file}: ${String((cause as Error)?.message ?? cause)}`, { cause }),
  badArgument: (what: string) => new CsError('CS_ERR_BAD_ARGUMENT', 2, what),
  badRequest: (what: string) => new CsError('CS_ERR_BAD_REQUEST', 400, what),
  notFound: (what: string) => new CsError('CS_ERR_NOT_FOUND', 404, what),
  // Accounts and access (src/auth/). Sign-in failures say the same thing whatever was wrong.
  unauthenticated: () => new CsError('CS_ERR_UNAUTHENTICATED', 401, 'sign in first'),
  forbidden: (what: string) => new CsError('CS_ERR_FORBIDDEN', 403, what),
  csrf: () => new CsError('CS_ERR_CSRF', 403, 'missing or wrong x-csrf-token header (or a cross-site request)'),
  authFailed: () => new CsError('CS_ERR_AUTH', 401, 'wrong name or password'),
  totpNeeded: () => new CsError('CS_ERR_TOTP_NEEDED', 401, 'enter the current code from your authenticator app'),
  totpRequired: () => new CsError('CS_ERR_TOTP_REQUIRED', 403, 'enrol a second factor (TOTP) before you act'),
  totpInvalid: () => new CsError('CS_ERR_TOTP_INVALID', 400, 'that code is not right (or was already used); enter the current one'),
  totpEnrolled: () => new CsError('CS_ERR_TOTP_ENROLLED', 409, 'a second factor is already enrolled; an admin can reset it (countersign user reset-totp)'),
  totpNotStarted: () => new CsError('CS_ERR_TOTP_NOT_STARTED', 409, 'start enrolment first (POST /api/v1/auth/totp/setup)'),
  passwordChangeRequired: () => new CsError('CS_ERR_PASSWORD_CHANGE_REQUIRED', 403, 'choose a new password first (POST /api/v1/auth/password)'),
  passwordWrong: () => new CsError('CS_ERR_PASSWORD_WRONG', 400, 'the current password is not right'),
  passwordWeak: (why: string) => new CsError('CS_ERR_PASSWORD_WEAK', 400, why),
  rateLimited: (seconds: number) => new CsError('CS_ERR_RATE_LIMITED', 429, `too many requests; try again in ${seconds} s`),
  userExists: (name: string) => new CsError('CS_ERR_USER_EXISTS', 409, `there is already a user ${name}`),
  noSuchUser: (name: string) => new CsError('CS_ERR_NO_SUCH_USER', 404, `no user ${name}`),
  identityTaken: (username: string, deviceType: string, owner: string) =>
    new CsError('CS_ERR_IDENTITY_TAKEN', 409, `${username} on ${deviceType === '*' ? 'any device type' : deviceType} is already linked to ${owner}`),
  lastAdmin: () => new CsError('CS_ERR_LAST_ADMIN', 409, 'that would leave no enabled admin; make another admin first'),
} as const;
