// Who is asking, for handlers: the signed-in user and session the access hook (plugin.ts) found for
// this request. Handlers read them here; they never look at cookies themselves.
import type { FastifyRequest } from 'fastify';
import { CS_ERR } from '../errors.js';
import type { ActiveSession } from './sessions.js';
import { mayAct, type AuthUser } from './users.js';

const sessions = new WeakMap<FastifyRequest, ActiveSession>();

/** Called by the access hook once the cookie opened a session. */
export const attachSession = (req: FastifyRequest, s: ActiveSession): void => {
  sessions.set(req, s);
};

/** The browser session of a signed-in request (its token hash and CSRF token). */
export const sessionOf = (req: FastifyRequest): ActiveSession => {
  const s = sessions.get(req);
  if (s === undefined) throw CS_ERR.unauthenticated();
  return s;
};

/** The signed-in user, or 401. */
export const signedInUser = (req: FastifyRequest): AuthUser => {
  if (req.user === null) throw CS_ERR.unauthenticated();
  return req.user;
};

/**
 * The signed-in user if they may act (review, administer): 403 CS_ERR_TOTP_REQUIRED while their role
 * must enrol TOTP and they have not. Routes at reviewer/admin level get this check without asking.
 */
export const requireActingUser = (req: FastifyRequest): AuthUser => {
  const u = signedInUser(req);
  if (!mayAct(u)) throw CS_ERR.totpRequired();
  return u;
};
