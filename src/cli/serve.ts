// `countersign serve`: starts the service and stops it cleanly on SIGTERM/SIGINT, committing
// everything received before exiting. On the first start it makes the `admin` account and prints its
// one-time password once, on stderr (never into the JSON log).
import { pino } from 'pino';
import { systemClock } from '../clock.js';
import { loadConfig } from '../config/load.js';
import { authDepsOver } from '../auth/deps.js';
import { ActionLog } from '../pipeline/action-log.js';
import { loadReviewPolicy, reviewDepsOver } from '../review/deps.js';
import { startService } from '../pipeline/service.js';
import { prepareStore, setWalCheckpoints } from '../store/index.js';
import { openSqlite } from '../store/sqlite/open.js';

export const runServe = async (o: { config?: string; data?: string }): Promise<void> => {
  const config = loadConfig(o.config, o.data !== undefined ? { dataDir: o.data } : {});
  const log = pino({ level: config.log.level, base: { service: 'countersign' } });
  // Accounts live in the store: migrate it, then give them their own connection on this thread (WAL
  // lets it write account entries beside the writer thread). Cookies are Secure when the web speaks TLS (web.tls).
  await prepareStore(config.dataDir);
  // This process's connections leave the WAL to the service's checkpoint thread (store/sqlite/open.ts).
  setWalCheckpoints('thread');
  const authDb = openSqlite(config.dataDir);
  const actions = new ActionLog(authDb, systemClock);
  const auth = authDepsOver(authDb, { config: config.auth, clock: systemClock, secureCookies: config.web.tls, actions });
  const review = reviewDepsOver(authDb, { policy: loadReviewPolicy(config.review.policyFile), actions, accounts: auth.accounts, clock: systemClock });
  const firstPassword = await auth.accounts.ensureFirstAdmin();
  if (firstPassword !== null) {
    log.warn({ user: 'admin' }, 'first start: made the admin account; its one-time password is printed on stderr');
    process.stderr.write(`first start: sign in as "admin" with one-time password ${firstPassword} (you will be asked to change it)\n`);
  }
  const service = await startService(config, log, systemClock, { auth, review });
  let signals = 0;
  const onSignal = (sig: NodeJS.Signals): void => {
    if (++signals > 1) {
      log.warn({ signal: sig }, 'second signal: still committing what was received; send SIGKILL to abandon it');
      return;
    }
    log.info({ signal: sig }, 'stopping: draining connections and committing what was received');
    service.stop().then(
      (s) => {
        authDb.close();
        log.info(s, 'stopped: everything received is committed');
        process.exit(0);
      },
      (e: unknown) => {
        log.fatal({ err: e }, 'stop failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
};
