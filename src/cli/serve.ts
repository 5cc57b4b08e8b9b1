// `countersign serve`: starts the service and stops it cleanly on SIGTERM/SIGINT, committing
// everything received before exiting.
import { pino } from 'pino';
import { systemClock } from '../clock.js';
import { loadConfig } from '../config/load.js';
import { startService } from '../pipeline/service.js';

export const runServe = async (o: { config?: string; data?: string }): Promise<void> => {
  const config = loadConfig(o.config, o.data !== undefined ? { dataDir: o.data } : {});
  const log = pino({ level: config.log.level, base: { service: 'countersign' } });
  const service = await startService(config, log, systemClock);
  let signals = 0;
  const onSignal = (sig: NodeJS.Signals): void => {
    if (++signals > 1) {
      log.warn({ signal: sig }, 'second signal: still committing what was received; send SIGKILL to abandon it');
      return;
    }
    log.info({ signal: sig }, 'stopping: draining connections and committing what was received');
    service.stop().then(
      (s) => {
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
