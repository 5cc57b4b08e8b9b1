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
} as const;
