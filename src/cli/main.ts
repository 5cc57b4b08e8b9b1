#!/usr/bin/env node
// The countersign command: parses arguments and calls the library. Exit codes: 0 success,
// 1 a check failed, 2 it could not run (bad arguments, bad configuration, unreadable input).
import { Command, Option } from 'commander';
import { CsError } from '../errors.js';
import { FORMAT_HINTS } from '../pipeline/frame-batch.js';
import { runImport } from './import.js';
import { runRecords } from './records.js';
import { runRepeats } from './repeats.js';
import { runServe } from './serve.js';
import { runVerify } from './verify.js';
import { runExport } from './export.js';
import { runPrune } from './prune.js';
import { runCheckpoint } from './checkpoint.js';
import { runSessionShow, runSessions, type SessionsOptions } from './sessions.js';
import { runWitness, type WitnessCliOptions } from '../witness/run.js';
import { runRulesTest } from '../rules/test-command.js';
import { userCommand } from './user.js';

// `countersign sessions | head`: a reader that stops early is not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

const program = new Command()
  .name('countersign')
  .description('Collects what servers and network devices log, collates it into operator sessions, and keeps it tamper-evident.')
  .version('0.1.0')
  .showHelpAfterError();

program
  .command('serve')
  .description('Run the service: syslog receivers (UDP/TCP 5514, TLS 6514, RELP 2514), the store, and the web UI/API (127.0.0.1:8080).')
  .option('-c, --config <file>', 'YAML configuration file (every option and its default: docs/configuration.md)')
  .option('-d, --data <dir>', 'data directory (overrides dataDir; default ./data)')
  .action(async (o: { config?: string; data?: string }) => runServe(o));

program
  .command('import')
  .description('Import log files (plain or .gz; - for standard input) as records, e.g. auth.log, audit.log, journalctl -o json output.')
  .argument('<files...>', 'files to import, or - for standard input')
  .option('-c, --config <file>', 'YAML configuration file (for dataDir and parsing.timezone)')
  .option('-d, --data <dir>', 'data directory (default ./data)')
  .addOption(new Option('-f, --format <format>', 'what the files hold').choices(FORMAT_HINTS).default('auto'))
  .option('--host <name>', 'hostname for records whose lines name none (raw audit.log, journald without _HOSTNAME)')
  .action(async (files: string[], o: { config?: string; data?: string; format: (typeof FORMAT_HINTS)[number]; host?: string }) => runImport(files, o));

program
  .command('records')
  .description('Show the last records stored, oldest first (works while the server runs).')
  .option('-c, --config <file>', 'YAML configuration file (for dataDir)')
  .option('-d, --data <dir>', 'data directory (default ./data)')
  .option('-n, --limit <n>', 'how many records', (v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1 || n > 100_000) throw new CsError('CS_ERR_BAD_ARGUMENT', 2, `--limit: expected a whole number from 1 to 100000, got ${v}`);
    return n;
  }, 20)
  .addOption(new Option('--kind <kind>', 'only parsed or only unparsed records').choices(['parsed', 'unparsed']))
  .option('--json', 'print a JSON array (raw bytes as UTF-8 text and as base64)')
  .action(async (o: { config?: string; data?: string; limit: number; kind?: 'parsed' | 'unparsed'; json?: boolean }) => runRecords(o));

program
  .command('repeats')
  .description('Mark resends: records whose bytes repeat an earlier record from the same sender address over the same transport (what RELP or TCP senders resend after a broken connection or a server restart). Nothing is deleted; each is named with the record it repeats.')
  .option('-c, --config <file>', 'YAML configuration file (for dataDir)')
  .option('-d, --data <dir>', 'data directory (default ./data)')
  .addOption(new Option('--transport <t>', 'only this transport').choices(['relp', 'tcp', 'tls', 'udp', 'file']))
  .option('--json', 'print { records, repeats: [{ seq, of, transport, sender }] }')
  .action(async (o: { config?: string; data?: string; transport?: string; json?: boolean }) => runRepeats(o));

const limit = (max: number) => (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new CsError('CS_ERR_BAD_ARGUMENT', 2, `--limit: expected a whole number from 1 to ${max}, got ${v}`);
  return n;
};

program
  .command('sessions')
  .description('List operator sessions, newest first (works while the server runs).')
  .option('-c, --config <file>', 'YAML configuration file (for dataDir)')
  .option('-d, --data <dir>', 'data directory (default ./data)')
  .option('--host <host>', 'only sessions on this host')
  .option('--user <user>', 'only sessions of this login user')
  .option('--open', 'only sessions still open')
  .option('--closed', 'only closed sessions')
  .option('-n, --limit <n>', 'how many sessions', limit(100_000), 100)
  .option('--json', 'print a JSON array (shape: docs/cli.md)')
  .action(async (o: SessionsOptions) => runSessions(o));

program
  .command('session')
  .description('One session in detail.')
  .command('show')
  .description('Show a session: who, from where, how, and its timeline of events (~ marks weak links).')
  .argument('<id>', 'session id (from `countersign sessions`)')
  .option('-c, --config <file>', 'YAML configuration file (for dataDir)')
  .option('-d, --data <dir>', 'data directory (default ./data)')
  .option('--json', 'print JSON { session, events } (shape: docs/cli.md)')
  .option('--recording', "print the session's terminal recording (tlog) as asciicast v2, for `asciinema play`")
  .action(async (id: string, o: { config?: string; data?: string; json?: boolean; recording?: boolean }) => runSessionShow(id, o));

program
  .command('verify')
  .description('Check the data directory offline: every record against its leaf, the whole tree, every signed checkpoint, and the events and sessions against their records. Exit 0 intact, 1 not intact (the first mismatch is named), 2 could not run.')
  .option('-c, --config <file>', 'YAML configuration file (for dataDir)')
  .option('-d, --data <dir>', 'data directory (default ./data)')
  .option('--bundle <file>', 'check an exported bundle (countersign export --bundle) instead of a data directory')
  .option('--checkpoint <file>', 'a checkpoint obtained elsewhere (saved earlier, or cosigned by a witness): prove the log still extends it')
  .option('--key <vkey-or-file>', "the log's verifier key as you hold it (default: the data directory's tlog/log.vkey, which whoever controls the host can replace)")
  .option('--json', 'print the report as JSON')
  .action((o: { config?: string; data?: string; bundle?: string; checkpoint?: string; key?: string; json?: boolean }) => runVerify(o));

program
  .command('prune')
  .description('Retention: erase the payload (bytes, envelope, events) of records from before --before (their own time, else when received), keeping their tlog leaves; the erasure is itself logged. verify then reports them as pruned.')
  .requiredOption('--before <age-or-date>', 'an age (90d, 12h, 30m) or an ISO 8601 date/time')
  .option('--host <host>', 'only records of this host')
  .option('-c, --config <file>', 'YAML configuration file (for dataDir)')
  .option('-d, --data <dir>', 'data directory (default ./data)')
  .addOption(new Option('--source <transport>', 'only records that arrived this way (file: imported)').choices(['udp', 'tcp', 'tls', 'relp', 'file']))
  .action(async (o: { config?: string; data?: string; before: string; host?: string; source?: string }) => runPrune(o));

program
  .command('export')
  .description('Write the whole store as one file that `countersign verify --bundle FILE` checks on any machine: records, tree, checkpoints (a fresh one is signed first), events, sessions, and the verifier key.')
  .requiredOption('--bundle <file>', 'the file to write (must not exist)')
  .option('--session <id>', "only this session: its records with inclusion proofs against a signed (and cosigned, if witnessed) checkpoint, as one JSON file")
  .option('-c, --config <file>', 'YAML configuration file (for dataDir)')
  .option('-d, --data <dir>', 'data directory (default ./data)')
  .action(async (o: { config?: string; data?: string; bundle: string; session?: string }) => runExport(o));

program
  .command('checkpoint')
  .description('Print the latest signed checkpoint (save it somewhere the log host cannot reach; verify --checkpoint uses it).')
  .option('-c, --config <file>', 'YAML configuration file (for dataDir)')
  .option('-d, --data <dir>', 'data directory (default ./data)')
  .action(async (o: { config?: string; data?: string }) => runCheckpoint(o));

program
  .command('witness')
  .description("Run a witness for other sites' logs (C2SP tlog-witness): POST /add-checkpoint takes a log's new checkpoint with a consistency proof from the last one this witness cosigned, and answers with a cosignature only if the log only grew.")
  .requiredOption('-d, --data <dir>', "the witness's data directory (witness.db, witness.key); keep it off the log host")
  .option('--listen <host:port>', 'address for the HTTP API', '127.0.0.1:8380')
  .option('--log <origin=vkey>', "a log to witness: its origin and its verifier key as `countersign serve` prints it (repeatable; a bare key means origin = the key's name)", (v: string, all: string[]) => [...all, v], [] as string[])
  .option('--name <name>', "the witness key's name when it is made on first start (default countersign-witness/<hostname>)")
  .action(async (o: WitnessCliOptions) => runWitness(o));

program
  .command('rules')
  .description('Detection rules.')
  .command('test')
  .description("Compile rule files and run each rule's own examples. Exit 0 all pass, 1 a rule is broken or an example fails, 2 a file is unreadable.")
  .argument('<files...>', 'rule files (YAML, one rule per file)')
  .action((files: string[]) => {
    process.exitCode = runRulesTest(files);
  });

userCommand(program.command('user'));

program.parseAsync(process.argv).catch((e: unknown) => {
  if (e instanceof CsError) process.stderr.write(`countersign: ${e.message}\n`);
  else process.stderr.write(`countersign: unexpected error: ${(e as Error)?.stack ?? String(e)}\n`);
  // Exit now: a half-started service must not linger (a thread or socket left open would keep it alive).
  process.exit(e instanceof CsError && e.status < 10 ? e.status : 2);
});
