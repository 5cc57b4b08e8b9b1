// Fuzz targets for the envelope stage: each envelope parser alone, and the whole way from a frame to
// a stored record (batch → envelope registry → record), where every frame must end as exactly one
// record: parsed, or unparsed with a reason from the closed list.
import { hash } from 'node:crypto';
import { UNPARSED_REASONS } from '../model/record.js';
import { ENVELOPE_PARSERS } from '../parsers/envelope/index.js';
import { processBatch } from '../pipeline/batch-processor.js';
import { BatchBuilder, FORMAT_HINTS, type ConnMeta } from '../pipeline/frame-batch.js';
import { FRAME_INCOMPLETE, FRAME_OK, FRAME_TOO_LONG, type FrameFlag } from '../sources/framing/types.js';
import { corpusLines } from './corpus.js';
import { bytesLike, utf8 } from './mutate.js';
import { check, type FuzzTarget } from './target.js';

/** Fixed, so a failing input replays the same way: 2026-06-15T12:00:00Z. */
const RECEIVED_AT = Date.UTC(2026, 5, 15, 12, 0, 0);
const ZONES = ['UTC', 'Europe/Berlin', 'America/St_Johns', 'Asia/Kolkata', 'Pacific/Chatham'];

const templates = (): Uint8Array[] => corpusLines().map(utf8);

const envelopeTarget = (parser: (typeof ENVELOPE_PARSERS)[number]): FuzzTarget => ({
  id: `envelope-${parser.id}`,
  about: `envelope parser ${parser.id}: detect() and parse() of any frame`,
  arbitrary: () => bytesLike(templates()),
  run(input) {
    const detected = parser.detect(input);
    check(typeof detected === 'boolean', 'detect() returned a non-boolean');
    const zone = ZONES[input.length % ZONES.length]!;
    const r = parser.parse(input, { receivedAt: RECEIVED_AT, timezone: zone });
    if (r.ok) {
      const e = r.value;
      check(e.format === parser.id, `format ${e.format} from parser ${parser.id}`);
      check(typeof e.msg === 'string', 'msg is not a string');
      check(e.time === undefined || Number.isFinite(e.time), `time ${e.time} is not finite`);
      check(e.facility === undefined || (Number.isInteger(e.facility) && e.facility >= 0 && e.facility <= 23), `facility ${e.facility}`);
      check(e.severity === undefined || (Number.isInteger(e.severity) && e.severity >= 0 && e.severity <= 7), `severity ${e.severity}`);
      JSON.stringify(e); // what the store and the CLI do with it
    } else {
      check((UNPARSED_REASONS as readonly string[]).includes(r.error.type), `reason ${r.error.type} is not in UNPARSED_REASONS`);
      check(typeof r.error.message === 'string', 'error without message');
    }
  },
});

const conns: ConnMeta[] = FORMAT_HINTS.map((formatHint, i) => ({ key: 1_000_000 + i, transport: 'tcp', peer: '192.0.2.1:514', peerIdentity: null, formatHint }));
const FLAGS: readonly FrameFlag[] = [FRAME_OK, FRAME_OK, FRAME_OK, FRAME_TOO_LONG, FRAME_INCOMPLETE];
const builder = new BatchBuilder(1, 1 << 16);

export const batchTarget: FuzzTarget = {
  id: 'frame-to-record',
  about: 'frame → batch (SHA-256, leaf) → envelope registry → exactly one record, parsed or unparsed with a reason',
  arbitrary: () => bytesLike(templates()),
  run(input) {
    const conn = conns[input.length % conns.length]!;
    const flag = FLAGS[(input[0] ?? 0) % FLAGS.length]!;
    builder.add(conn, input, flag, RECEIVED_AT);
    const batch = builder.seal(1);
    const { block, stats } = processBatch(batch, 'UTC');
    check(block.count === 1 && block.envelopes.length === 1 && block.unparsed.length === 1, `${block.count} records for one frame`);
    const raw = block.bytes.subarray(block.offsets[0]!, block.offsets[0]! + block.lengths[0]!);
    check(Buffer.from(raw).equals(Buffer.from(input)), 'stored bytes differ from the frame');
    check(Buffer.from(block.sha256.subarray(0, 32)).toString('hex') === hash('sha256', input, 'hex'), 'SHA-256 of the record is not that of the frame');
    const envelope = block.envelopes[0]!;
    const reason = block.unparsed[0]!;
    check((envelope === null) !== (reason === null), 'a record must be parsed or unparsed with a reason, not both or neither');
    if (flag === FRAME_TOO_LONG) check(reason === 'frame-too-long', 'a cut frame was parsed');
    if (flag === FRAME_INCOMPLETE) check(reason === 'incomplete-frame', 'an incomplete frame was parsed');
    const counted = Object.values(stats.counts).reduce((a, b) => a + b, 0);
    check(counted === 1, `batch stats count ${counted} records, not 1`);
  },
};

export const envelopeTargets: readonly FuzzTarget[] = [...ENVELOPE_PARSERS.map(envelopeTarget), batchTarget];
