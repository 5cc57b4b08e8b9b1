// Request bodies of /api/v1/auth/* (docs/review-api.md), checked at the edge before anything else runs,
// and the JSON `countersign user list --json` prints.
import { z } from 'zod';
import { ROLES } from '../model/account.js';
import { MAX_PASSWORD_LENGTH } from './passwords.js';

export const loginBody = z.strictObject({
  name: z.string().min(1).max(64),
  password: z.string().max(MAX_PASSWORD_LENGTH),
  totp: z.string().max(16).optional(),
});

export const totpEnableBody = z.strictObject({ code: z.string().min(1).max(16) });

export const passwordBody = z.strictObject({
  current: z.string().max(MAX_PASSWORD_LENGTH),
  next: z.string().max(MAX_PASSWORD_LENGTH),
});

export const problem = (e: z.ZodError): string => e.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ');

/** `countersign user list --json` (docs/cli.md). */
export const accountJsonSchema = z.strictObject({
  name: z.string(),
  role: z.enum(ROLES),
  disabled: z.boolean(),
  totpEnabled: z.boolean(),
  totpRequired: z.boolean(),
  mustChangePassword: z.boolean(),
  createdAt: z.iso.datetime(),
  identities: z.array(z.strictObject({ username: z.string(), deviceType: z.string() })),
});
export const accountListSchema = z.array(accountJsonSchema);
export type AccountJson = z.infer<typeof accountJsonSchema>;
