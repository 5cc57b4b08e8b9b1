// Replays a terminal recording in xterm.js, inside its own fixed-size box: play/pause, seek, speed, time.
// Recordings are hostile (DESIGN §8.4): the terminal never answers what they ask — no onData/onBinary
// subscription, so device-attribute, cursor-position and title reports go nowhere; no clipboard (no addon,
// OSC 52 is not implemented by the core); OSC 8 links are never opened (linkHandler does nothing); window
// options stay off; title changes are ignored; stdin is disabled and keys are not handled.
import '@xterm/xterm/css/xterm.css';
import { Terminal } from '@xterm/xterm';
import { useCallback, useEffect, useImperativeHandle, useRef, useState, type Ref } from 'react';
import { playerTime } from '../lib/format.ts';
import { eventsUntil, parseSize, type Cast } from './asciicast.ts';

export const SPEEDS = [0.5, 1, 2, 4] as const;

export interface PlayerHandle {
  seek(t: number): void;
  play(): void;
  pause(): void;
}

const FULL_RESET = '\x1bc'; // RIS, written in-band so it stays ordered with the writes queued before it

const NO_LINKS = {
  activate: () => {
    // OSC 8 hyperlinks in a recording are never followed.
  },
  allowNonHttpProtocols: false,
};

export const Player = ({ cast, onTime, ref }: { cast: Cast; onTime?: (t: number, playing: boolean) => void; ref?: Ref<PlayerHandle> }) => {
  const box = useRef<HTMLDivElement>(null);
  const term = useRef<Terminal | null>(null);
  const [time, setTime] = useState(0);
  const [playing, setPlaying] = useState(false);
  const [speed, setSpeed] = useState<number>(1);
  // Playback state read by the animation loop without re-rendering.
  const clock = useRef({ t: 0, next: 0, wallStart: 0, tStart: 0, speed: 1, playing: false, raf: 0, shownAt: 0 });
  const onTimeRef = useRef(onTime);
  onTimeRef.current = onTime;

  useEffect(() => {
    const el = box.current;
    if (el === null) return;
    const t = new Terminal({
      cols: cast.width,
      rows: cast.height,
      disableStdin: true,
      cursorBlink: false,
      cursorInactiveStyle: 'none',
      scrollback: 2000,
      allowProposedApi: false,
      allowTransparency: false,
      linkHandler: NO_LINKS,
      windowOptions: {},
      fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", "Liberation Mono", monospace',
      fontSize: 13,
      theme: { background: '#0d1117', foreground: '#e6edf3' },
    });
    // No key reaches the terminal's input handling: it is a player, not a shell.
    t.attachCustomKeyEventHandler(() => false);
    t.open(el);
    term.current = t;
    Object.assign(clock.current, { t: 0, next: 0, playing: false });
    return () => {
      cancelAnimationFrame(clock.current.raf);
      t.dispose();
      term.current = null;
    };
  }, [cast]);

  const report = useCallback((t: number, force = false) => {
    const c = clock.current;
    c.t = t;
    const now = performance.now();
    if (force || now - c.shownAt > 100) {
      c.shownAt = now;
      setTime(t);
      onTimeRef.current?.(t, c.playing);
    }
  }, []);

  /** Writes the events from the last written one up to time t, in order. */
  const writeUntil = useCallback(
    (t: number) => {
      const tm = term.current;
      const c = clock.current;
      if (tm === null) return;
      const end = eventsUntil(cast.events, t);
      let out = '';
      for (let i = c.next; i < end; i++) {
        const e = cast.events[i];
        if (e === undefined) continue;
        if (e.code === 'o') out += e.data;
        else if (e.code === 'r') {
          const size = parseSize(e.data);
          if (out !== '') tm.write(out);
          out = '';
          if (size !== null) tm.resize(size.cols, size.rows);
        }
      }
      if (out !== '') tm.write(out);
      c.next = Math.max(c.next, end);
    },
    [cast],
  );

  const stopLoop = () => {
    const c = clock.current;
    cancelAnimationFrame(c.raf);
    c.playing = false;
    setPlaying(false);
  };

  const tick = useCallback(() => {
    const c = clock.current;
    if (!c.playing) return;
    const t = Math.min(cast.duration, c.tStart + ((performance.now() - c.wallStart) / 1000) * c.speed);
    writeUntil(t);
    report(t);
    if (t >= cast.duration) {
      c.playing = false;
      setPlaying(false);
      report(t, true);
      return;
    }
    c.raf = requestAnimationFrame(tick);
  }, [cast, writeUntil, report]);

  const play = () => {
    const c = clock.current;
    if (c.playing) return;
    if (c.t >= cast.duration) seekTo(0);
    c.playing = true;
    c.wallStart = performance.now();
    c.tStart = c.t;
    setPlaying(true);
    c.raf = requestAnimationFrame(tick);
  };

  /** Resets the terminal and writes everything up to t at once. */
  const seekTo = (t: number) => {
    const tm = term.current;
    const c = clock.current;
    const to = Math.max(0, Math.min(cast.duration, Number.isFinite(t) ? t : 0));
    if (tm !== null) {
      tm.write(FULL_RESET);
      tm.resize(cast.width, cast.height);
    }
    c.next = 0;
    writeUntil(to);
    c.tStart = to;
    c.wallStart = performance.now();
    report(to, true);
  };

  useImperativeHandle(ref, () => ({ seek: seekTo, play, pause: stopLoop }));

  const changeSpeed = (s: number) => {
    const c = clock.current;
    c.tStart = c.t;
    c.wallStart = performance.now();
    c.speed = s;
    setSpeed(s);
  };

  return (
    <div className="player" data-testid="player">
      <div className="player-screen" data-testid="player-terminal">
        <div ref={box} className="player-terminal" />
      </div>
      <div className="player-controls">
        <button type="button" className="play" onClick={() => (playing ? stopLoop() : play())} aria-label={playing ? 'Pause' : 'Play'} data-testid="player-play" data-playing={playing}>
          {playing ? '❚❚ Pause' : '▶ Play'}
        </button>
        <input
          type="range"
          className="seek"
          min={0}
          max={Math.max(cast.duration, 0.1)}
          step={0.1}
          value={time}
          onChange={(e) => seekTo(Number(e.target.value))}
          aria-label="Seek"
          data-testid="player-seek"
        />
        <span className="player-time" data-testid="player-time">
          {playerTime(time)} / {playerTime(cast.duration)}
        </span>
        <label className="speed">
          Speed
          <select value={speed} onChange={(e) => changeSpeed(Number(e.target.value))} data-testid="player-speed">
            {SPEEDS.map((s) => (
              <option key={s} value={s}>
                {s}×
              </option>
            ))}
          </select>
        </label>
      </div>
      {cast.skipped > 0 && <p className="muted small">{cast.skipped} lines of the recording were not events and were skipped.</p>}
    </div>
  );
};
